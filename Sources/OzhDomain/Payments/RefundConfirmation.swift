import OzhSupport

/// A `confirm_refund` job's payload: which refund to re-read.
public struct RefundConfirmation: Codable, Sendable, Equatable {
    /// YooKassa's refund id.
    public var refundID: String

    enum CodingKeys: String, CodingKey {
        case refundID = "refund_id"
    }

    /// Creates a payload.
    public init(refundID: String) {
        self.refundID = refundID
    }

    /// `{"refund_id": …}`.
    public var json: JSONValue { .object([("refund_id", .string(refundID))]) }
}
