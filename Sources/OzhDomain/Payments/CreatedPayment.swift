import OzhSupport

/// A `create_payment` job's result: where the user pays (the seed's answer to `POST /payments`).
public struct CreatedPayment: Codable, Sendable, Equatable {
    /// YooKassa's confirmation URL (empty when it gave none).
    public var paymentURL: String
    /// YooKassa's payment id.
    public var paymentID: String

    enum CodingKeys: String, CodingKey {
        case paymentURL = "payment_url"
        case paymentID = "payment_id"
    }

    /// Creates a result.
    public init(paymentURL: String, paymentID: String) {
        self.paymentURL = paymentURL
        self.paymentID = paymentID
    }

    /// `{"payment_url": …, "payment_id": …}`, in that order.
    public var json: JSONValue { .object([("payment_url", .string(paymentURL)), ("payment_id", .string(paymentID))]) }
}
