import Foundation

/// One balance movement in the append-only `ledger` collection; `_id` is the operation id.
public struct LedgerEntry: Codable, Sendable, Equatable {
    public var id: String
    public var chatID: Int64
    /// Per-user sequence number: entries of one user sort by it in the order they were applied.
    public var seq: Int64
    public var delta: Int64
    public var reason: String
    public var ref: String?
    public var at: Date
    public var balanceAfter: Int64

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case chatID = "chat_id"
        case seq, delta, reason, ref, at
        case balanceAfter = "balance_after"
    }

    init(chatID: Int64, operation: AppliedOperation) {
        id = operation.id
        self.chatID = chatID
        seq = operation.seq
        delta = operation.delta
        reason = operation.reason
        ref = operation.ref
        at = operation.at
        balanceAfter = operation.balanceAfter
    }
}
