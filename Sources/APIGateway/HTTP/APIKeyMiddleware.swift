import HTTPTypes
import Hummingbird

/// Requires a valid `api-key` header on every path but the open ones (health, readiness,
/// Prometheus metrics, the API description, the YooKassa webhook). Several keys may be valid
/// at once, so a key can be rotated.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: [[UInt8]]
    let openPaths: Set<String>

    init(keys: [String], openPaths: Set<String> = ["/health", "/ready", "/metrics", "/openapi.yaml", "/webhooks/yookassa"]) {
        self.keys = keys.map { Array($0.utf8) }
        self.openPaths = openPaths
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let presented = request.headers[apiKeyHeader] else {
            throw APIError(.unauthorized, "unauthorized", "the api-key header is missing")
        }
        var matched = false
        var header = presented
        header.withUTF8 { bytes in
            for key in keys where Self.constantTimeEquals(bytes, key) { matched = true }
        }
        guard matched else { throw APIError(.unauthorized, "unauthorized", "the api-key header is not valid") }
        return try await next(request, context)
    }

    /// Compares without an early exit, so timing does not reveal how much of a key matched.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { a in constantTimeEquals(a, b) }
    }

    /// ``constantTimeEquals(_:_:)`` over the presented header's bytes, without copying them.
    static func constantTimeEquals(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

/// The seed's authentication header.
let apiKeyHeader = HTTPField.Name("api-key")!
