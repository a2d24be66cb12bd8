import Foundation

/// A payment whose next reconciliation re-read is due.
public struct DuePayment: Sendable, Equatable {
    /// YooKassa's payment id (`_id` in `payments`).
    public let id: String
    /// Re-reads reconciliation has scheduled so far (`checks`; 0 on documents written before it existed).
    public let checks: Int
    /// When the payment was created.
    public let createdAt: Date

    /// The id of the reconciliation job for re-read number `number`: one job per payment and re-read.
    public static func jobID(_ paymentID: String, check number: Int) -> String { "reconcile-\(paymentID)-\(number)" }
}
