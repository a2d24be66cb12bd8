import OzhSupport

/// A `confirm_payment` job's result: what the re-read found.
public struct PaymentCheck: Codable, Sendable, Equatable {
    /// YooKassa's payment id.
    public var paymentID: String
    /// YooKassa's status, or `not_found` / `unknown_at_provider` when it does not know the payment.
    public var status: String
    /// Whether this job credited the pack (nil when YooKassa did not know the payment).
    public var creditedNow: Bool?

    enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id"
        case status
        case creditedNow = "credited_now"
    }

    /// Creates a result.
    public init(paymentID: String, status: String, creditedNow: Bool? = nil) {
        self.paymentID = paymentID
        self.status = status
        self.creditedNow = creditedNow
    }

    /// `{"payment_id": …, "status": …, "credited_now": …}`, in that order (`credited_now` left out when nil).
    public var json: JSONValue {
        .object(
            [("payment_id", .string(paymentID)), ("status", .string(status))]
                + (creditedNow.map { [("credited_now", .bool($0))] } ?? []))
    }
}
