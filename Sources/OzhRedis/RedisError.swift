import OzhSupport

/// Failures of the Redis bridge, each with a stable code.
public enum RedisError: CodedError, Equatable {
    /// `REDIS_URL` is not `redis://[user:password@]host:port/db` (or `unix:///path`).
    case invalidURL(String)
    /// The server could not be reached or the connection broke mid-call.
    case unavailable(String)
    /// The server did not answer within the command timeout.
    case timeout
    /// The server answered with an error reply (`ERR`, `WRONGTYPE`, `NOSCRIPT`, ...).
    case server(String)
    /// The reply did not have the shape the caller expected.
    case unexpectedReply(String)

    public var code: String {
        switch self {
        case .invalidURL: return "redis_invalid_url"
        case .unavailable: return "redis_unavailable"
        case .timeout: return "redis_timeout"
        case .server: return "redis_error"
        case .unexpectedReply: return "redis_unexpected_reply"
        }
    }

    public var message: String {
        switch self {
        case .invalidURL(let why): return "REDIS_URL is invalid: \(why)"
        case .unavailable(let why): return "Redis is unavailable: \(why)"
        case .timeout: return "Redis did not answer in time"
        case .server(let text): return "Redis error: \(text)"
        case .unexpectedReply(let what): return "unexpected Redis reply: \(what)"
        }
    }

    /// The error for an error reply: `LOADING` (a restarted server still reading its AOF),
    /// `BUSY`, `MASTERDOWN` and `TRYAGAIN` mean the server cannot serve *yet*, so they are
    /// ``unavailable(_:)`` (503 and retried) rather than ``server(_:)``.
    public static func reply(_ text: String) -> RedisError {
        let transient = ["LOADING ", "BUSY ", "MASTERDOWN ", "TRYAGAIN "]
        return transient.contains { text.hasPrefix($0) } ? .unavailable(text) : .server(text)
    }

    /// True when the connection that produced this error must not be reused.
    package var breaksConnection: Bool {
        switch self {
        case .unavailable, .timeout: return true
        default: return false
        }
    }
}
