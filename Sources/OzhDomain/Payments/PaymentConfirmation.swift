import OzhSupport

/// A `confirm_payment` job's payload: which payment to re-read, and what asked for it.
public struct PaymentConfirmation: Codable, Sendable, Equatable {
    /// YooKassa's payment id.
    public var paymentID: String
    /// `webhook` (a notification: a `pending` answer is read again shortly) or `reconcile`.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id"
        case source
    }

    /// Creates a payload.
    public init(paymentID: String, source: String?) {
        self.paymentID = paymentID
        self.source = source
    }

    /// `{"payment_id": …, "source": …}`, in that order (`source` left out when nil).
    public var json: JSONValue {
        .object([("payment_id", .string(paymentID))] + (source.map { [("source", .string($0))] } ?? []))
    }
}
