import OzhSupport

/// A delivered callback job's result: the receiver's answer and the attempts it took.
public struct CallbackOutcome: Codable, Sendable, Equatable {
    /// The receiver's HTTP status (2xx).
    public var status: Int
    /// Delivery attempts made, this one included.
    public var attempts: Int

    /// Creates an outcome.
    public init(status: Int, attempts: Int) {
        self.status = status
        self.attempts = attempts
    }

    /// `{"status": …, "attempts": …}`, in that order.
    public var json: JSONValue { .object([("status", .int(Int64(status))), ("attempts", .int(Int64(attempts)))]) }
}
