import Hummingbird
import Shared

/// `GET /health` (the process answers) and `GET /ready` (Redis and Mongo answer).
struct HealthRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.get("/health") { _, _ in try JSONBody.response(["status": "ok"]) }
        router.get("/ready") { _, _ in try await ready() }
    }

    private func ready() async throws -> Response {
        async let redisOK: Bool = (try? await services.redis.send("PING")) != nil
        async let mongoOK: Bool = (try? await services.mongo.ping()) != nil
        let (redis, mongo) = await (redisOK, mongoOK)
        if redis && mongo { return try JSONBody.response(["status": "ready"]) }
        let down = [redis ? nil : "redis", mongo ? nil : "mongo"].compactMap { $0 }
        throw APIError(.serviceUnavailable, "not_ready", "not answering: \(down.joined(separator: ", "))", headers: [.retryAfter: "2"])
    }
}
