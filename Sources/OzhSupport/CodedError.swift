/// An error with a stable, machine-readable code.
///
/// Every error that can reach a client or a log line conforms: the `code` never changes
/// between releases (bots and dashboards match on it), the `message` is for humans and
/// never contains a secret.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    /// Stable snake_case code, e.g. `redis_unavailable`.
    var code: String { get }
    /// Human-readable explanation, safe to log and to show.
    var message: String { get }
}

extension CodedError {
    public var description: String { "\(code): \(message)" }
}
