import Logging
import OzhSupport

/// What a worker's metrics port answers: `GET /metrics` (scrape-time collectors run first),
/// `GET /health` (the process runs: 200) and `GET /ready` (every dependency answers: 200, else
/// 503 `not_ready` naming those that do not). Errors use the services' JSON error body.
struct MetricsEndpoints: Sendable {
    /// A response: status code, content type and body.
    struct Reply: Sendable {
        var status: Int
        var contentType: String
        var body: [UInt8]
    }

    let readiness: CachedReadiness
    let collectors: [any MetricsCollector]
    let logger: Logger

    /// The reply to `method` `uri` (`HEAD` is `GET` without a body, added by the server).
    func respond(method: String, uri: String) async -> Reply {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        let known = ["/metrics", "/health", "/ready"]
        guard known.contains(path) else { return Self.error(404, "not_found", "no such path; try /metrics, /health or /ready") }
        guard method == "GET" || method == "HEAD" else { return Self.error(405, "method_not_allowed", "only GET and HEAD are served") }
        switch path {
        case "/metrics":
            await MetricsCollection.collect(collectors, logger: logger)
            return Reply(status: 200, contentType: Observability.metricsContentType, body: Observability.renderMetrics())
        case "/health":
            return Self.json(200, .object([("status", .string("ok"))]))
        default:
            let down = await readiness.failing()
            guard down.isEmpty else { return Self.error(503, "not_ready", "not answering: \(down.joined(separator: ", "))") }
            return Self.json(200, .object([("status", .string("ready"))]))
        }
    }

    static func json(_ status: Int, _ value: JSONValue) -> Reply {
        Reply(status: status, contentType: "application/json; charset=utf-8", body: Array(value.serialized.utf8))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> Reply {
        json(status, .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]))
    }
}
