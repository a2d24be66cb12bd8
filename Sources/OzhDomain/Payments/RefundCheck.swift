import OzhSupport

/// A `confirm_refund` job's result: what the re-read found, and what was taken back.
public struct RefundCheck: Codable, Sendable, Equatable {
    /// YooKassa's refund id.
    public var refundID: String
    /// YooKassa's status.
    public var status: String
    /// Ozhivashki taken back (nil unless the refund succeeded).
    public var takenBack: Int64?
    /// Ozhivashki the user had already spent (nil unless the refund succeeded).
    public var unrecovered: Int64?

    enum CodingKeys: String, CodingKey {
        case refundID = "refund_id"
        case status
        case takenBack = "taken_back"
        case unrecovered
    }

    /// Creates a result.
    public init(refundID: String, status: String, takenBack: Int64? = nil, unrecovered: Int64? = nil) {
        self.refundID = refundID
        self.status = status
        self.takenBack = takenBack
        self.unrecovered = unrecovered
    }

    /// `{"refund_id", "status", "taken_back", "unrecovered"}`, in that order (the last two left out when nil).
    public var json: JSONValue {
        .object(
            [("refund_id", .string(refundID)), ("status", .string(status))]
                + (takenBack.map { [("taken_back", .int($0))] } ?? []) + (unrecovered.map { [("unrecovered", .int($0))] } ?? []))
    }
}
