import Foundation
import OzhMongo

/// How many payments wait for the user or for YooKassa, and since when.
public struct PendingPayments: Sendable, Equatable {
    /// Payments in `pending` or `waiting_for_capture`.
    public let count: Int
    /// When the oldest of them was created, or nil when there is none.
    public let oldestCreatedAt: Date?
}

extension PaymentService {
    /// The YooKassa statuses a payment waits in; reconciliation re-reads the same ones.
    static let waitingStatuses: [BSON] = ["pending", "waiting_for_capture"]

    /// Counts pending payments and finds the oldest (for `/metrics`; uses the
    /// `status_created_at` index). Reads only.
    public func pendingSummary() async throws -> PendingPayments {
        let filter: BSONDocument = ["status": ["$in": .array(Self.waitingStatuses)]]
        let count = try await payments.countDocuments(filter)
        guard count > 0 else { return PendingPayments(count: 0, oldestCreatedAt: nil) }
        let oldest = try await payments.find(filter, sort: ["created_at": 1], limit: 1, projection: ["created_at": 1]).first
        return PendingPayments(count: count, oldestCreatedAt: oldest?["created_at"]?.dateValue)
    }
}
