import Hummingbird

/// `GET /health` (the process answers) and `GET /ready` (Redis and Mongo answer, from a check
/// made at most once a second: ``CachedReadiness``).
struct HealthRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.get("/health") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("/ready") { _, _ in try await ready() }
    }

    private func ready() async throws -> Response {
        let down = await services.readiness.failing()
        if down.isEmpty { return try JSONBody.response(["status": "ready"]) }
        throw APIError(.serviceUnavailable, "not_ready", "not answering: \(down.joined(separator: ", "))", headers: [.retryAfter: "2"])
    }
}
