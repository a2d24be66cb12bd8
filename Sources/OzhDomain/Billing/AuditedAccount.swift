import Foundation
import OzhMongo

/// One user as the audit reads it: the money fields of its document, its ledger entries, and
/// the status of the `generations` records of its jobs that the checks need.
struct AuditedAccount: Sendable {
    let chatID: Int64
    let balance: Int64
    /// The user's recent operations (`ops`), oldest first.
    let ops: [AuditedOperation]
    /// `active_generations`: jobs charged and not settled.
    let active: [String]
    /// The user's ledger entries by operation id.
    var ledger: [String: AuditedOperation] = [:]
    /// job id → `generations.status`, for the jobs looked up (absent: no record).
    var jobStatus: [String: String] = [:]

    /// The projection of `users` the audit reads.
    static let projection: BSONDocument = ["_id": 1, "ozhivashki": 1, "ops": 1, "active_generations": 1]

    /// Reads a user document; nil when `_id` or `ozhivashki` is missing or mistyped, or an
    /// operation in `ops` cannot be read.
    init?(user document: BSONDocument) {
        guard let chatID = document["_id"]?.int64Value, let balance = document["ozhivashki"]?.int64Value else { return nil }
        var ops: [AuditedOperation] = []
        for value in document["ops"]?.arrayValue ?? [] {
            guard let op = value.documentValue.flatMap({ AuditedOperation($0, idKey: "id") }) else { return nil }
            ops.append(op)
        }
        self.chatID = chatID
        self.balance = balance
        self.ops = ops
        active = (document["active_generations"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// Every operation known to have been applied: the ledger's, and the user's recent ones.
    var operations: [String: AuditedOperation] {
        ledger.merging(ops.map { ($0.id, $0) }) { entry, _ in entry }
    }

    /// The user's operations that have no ledger entry.
    var unrecorded: [AuditedOperation] { ops.filter { ledger[$0.id] == nil } }
}
