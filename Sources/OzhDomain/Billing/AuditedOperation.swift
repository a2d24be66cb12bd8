import Foundation
import OzhMongo

/// One balance operation as the audit reads it, from a `ledger` entry or from a user's `ops`.
struct AuditedOperation: Sendable {
    /// The operation id, e.g. `generation_charge:<job>` or `purchase:<payment>`.
    let id: String
    let delta: Int64
    let reason: String?
    let ref: String?
    /// When it was applied; nil on a record that lacks it (treated as old).
    let at: Date?

    /// The id's part before the first `:` (`generation_charge`, `purchase`, `signup`, …).
    var kind: Substring { id.split(separator: ":", maxSplits: 1).first ?? "" }

    /// The id's part after the first `:` (the job of a generation operation, the payment of a purchase).
    var subject: String { id.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }

    /// The job of a generation operation (charge, success, refund), nil for any other.
    var generationJob: String? { kind.hasPrefix("generation_") ? subject : nil }

    /// The payment a purchase credits, nil for any other operation.
    var purchasedPayment: String? {
        guard kind == "purchase" || reason == "purchase" else { return nil }
        return ref ?? subject
    }

    /// Reads `{_id | id, delta, reason, ref, at}`; nil when the id or the delta is missing or mistyped.
    init?(_ document: BSONDocument, idKey: String) {
        guard let id = document[idKey]?.stringValue, let delta = document["delta"]?.int64Value else { return nil }
        self.id = id
        self.delta = delta
        reason = document["reason"]?.stringValue
        ref = document["ref"]?.stringValue
        at = document["at"]?.dateValue
    }
}
