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

    /// The parts of an answered refund object the service uses.
    public init(_ refund: YooKassaAPI.Refund) {
        id = refund.id
        paymentID = refund.paymentID
        status = refund.status
        amountValue = refund.amount.value
        currency = refund.amount.currency
    }
}
