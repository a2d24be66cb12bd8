/// What taking back one refund did (see ``PaymentService/settleRefund(_:now:)``).
public struct RefundSettlement: Sendable, Equatable {
    public let refundID: String
    public let paymentID: String
    public let chatID: Int64
    /// The refunded share of the payment's ozhivashki (whole, rounded down; all of them for a full refund).
    public let due: Int64
    /// What was taken from the balance: `due`, or the whole balance when it was smaller.
    public let takenBack: Int64
    /// The part already spent (`due - takenBack`), recorded, never taken below 0.
    public var unrecovered: Int64 { due - takenBack }
    /// Whether this call applied it (false: an earlier one did).
    public let appliedNow: Bool

    /// The ledger operation of a refund: `purchase_refund:<refund_id>`.
    public static func operationID(_ refundID: String) -> String { "purchase_refund:\(refundID)" }
}
