import Foundation
import OzhMongo

extension PaymentService {
    /// Keeps only the user's latest ``userPaymentsKept`` entries in the user document's
    /// `yookassa_payments` (the seed's field; by `created_at`, then id), so a user who orders
    /// without end cannot grow the document toward MongoDB's 16 MB limit. The full history
    /// stays in `payments`. Each `$unset` is idempotent; a concurrent order's trim converges.
    /// `entries` are the user's current ones when the caller has them (nil: read them).
    func trimUserPayments(chatID: Int64, entries known: BSONDocument? = nil) async throws {
        var entries = known
        if entries == nil {
            entries = try await users.findOne(["_id": .int64(chatID)], projection: ["yookassa_payments": 1])?["yookassa_payments"]?
                .documentValue
        }
        guard let entries, entries.count > userPaymentsKept else { return }
        let newestFirst = zip(entries.keys, entries.values).map { key, value in
            (key: key, at: value.documentValue?["created_at"]?.dateValue ?? .distantPast)
        }.sorted { $0.at != $1.at ? $0.at > $1.at : $0.key > $1.key }
        let dropped = newestFirst.dropFirst(userPaymentsKept)
        var unset = BSONDocument()
        for entry in dropped { unset["yookassa_payments.\(entry.key)"] = "" }
        try await users.updateOne(["_id": .int64(chatID)], ["$unset": .document(unset)])
        await ledger.userCache.invalidate(chatID)
    }
}
