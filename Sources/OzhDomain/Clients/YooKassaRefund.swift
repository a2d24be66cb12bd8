import Foundation

/// The parts of a YooKassa refund object the service uses.
public struct YooKassaRefund: Sendable, Equatable {
    public var id: String
    /// The refunded payment.
    public var paymentID: String
    /// `pending`, `succeeded` or `canceled`.
    public var status: String
    /// The refunded amount as YooKassa writes it ("50.00").
    public var amountValue: String
    public var currency: String

    init?(json: [String: Any]) {
        guard let id = json["id"] as? String, let paymentID = json["payment_id"] as? String, let status = json["status"] as? String,
              let amount = json["amount"] as? [String: Any], let value = amount["value"] as? String else { return nil }
        self.id = id
        self.paymentID = paymentID
        self.status = status
        amountValue = value
        currency = amount["currency"] as? String ?? "RUB"
    }
}
