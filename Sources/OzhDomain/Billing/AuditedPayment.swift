import Foundation
import OzhMongo

/// A `payments` document as the audit reads it (see ``PaymentService``).
struct AuditedPayment: Sendable {
    /// The YooKassa payment id (`_id`).
    let id: String
    let chatID: Int64
    /// YooKassa's status: pending, waiting_for_capture, succeeded or canceled.
    let status: String
    /// What the pack credits in all (`ozhivashki` × quantity).
    let ozhivashki: Int64
    /// When its status was last recorded (`checked_at`, else `created_at`).
    let checkedAt: Date?

    /// The ledger operation that credits it.
    var operationID: String { "purchase:\(id)" }

    /// Reads a payment; nil when a field the audit needs is missing or mistyped.
    init?(_ document: BSONDocument) {
        guard let id = document["_id"]?.stringValue, let chatID = document["chat_id"]?.int64Value,
            let status = document["status"]?.stringValue, let ozhivashki = document["ozhivashki"]?.int64Value
        else { return nil }
        self.id = id
        self.chatID = chatID
        self.status = status
        self.ozhivashki = ozhivashki
        checkedAt = document["checked_at"]?.dateValue ?? document["created_at"]?.dateValue
    }
}
