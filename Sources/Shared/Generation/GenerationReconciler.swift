import Foundation
import Logging

/// Finds charges that will never be settled and refunds them, so no ozhivashka is lost:
/// a `generation_charge:<job>` with neither `generation_success:<job>` nor
/// `generation_refund:<job>`, older than `after`, whose job no longer exists (the gateway died
/// between the charge and the enqueue, or the record expired) or has ended `failed` without the
/// handler's refund (a job recovered from a dead worker after its last attempt goes straight
/// to the dead list).
public struct GenerationReconciler: Sendable {
    let ledger: MongoCollection
    let billing: GenerationBilling
    let queue: JobQueue
    let logger: Logger

    public init(mongo: MongoClient, billing: GenerationBilling, queue: JobQueue, logger: Logger) {
        ledger = mongo.collection("ledger")
        self.billing = billing
        self.queue = queue
        self.logger = logger
    }

    /// One pass over every charge between `after` and 7 days old, newest first, `pageSize` at a
    /// time (so an old charge is reached however many newer ones there are); returns how many
    /// it refunded.
    @discardableResult
    public func sweep(after: Duration, now: Date = Date(), pageSize: Int = 200) async throws -> Int {
        let afterSeconds = Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18
        let window: BSONDocument = ["reason": "generation", "at": ["$lt": .date(now.addingTimeInterval(-afterSeconds)),
                                                                   "$gt": .date(now.addingTimeInterval(-7 * 86_400))]]
        var refunded = 0
        var cursor: (at: Date, id: String)?
        while true {
            var filter = window
            if let cursor {
                // Strictly after the previous page in (at desc, _id desc) order.
                filter["$or"] = .array([
                    .document(["at": ["$lt": .date(cursor.at)]]),
                    .document(["at": .date(cursor.at), "_id": ["$lt": .string(cursor.id)]]),
                ])
            }
            let page = try await ledger.find(filter, sort: ["at": -1, "_id": -1], limit: max(1, pageSize),
                                             projection: ["_id": 1, "chat_id": 1, "ref": 1, "at": 1])
            refunded += try await refundUnsettled(page)
            guard page.count == max(1, pageSize), let last = page.last,
                  let at = last["at"]?.dateValue, let id = last["_id"]?.stringValue else { return refunded }
            cursor = (at, id)
        }
    }

    /// Refunds the charges of `page` that have no settlement and whose job is gone or failed.
    private func refundUnsettled(_ page: [BSONDocument]) async throws -> Int {
        let jobs = page.compactMap { entry -> (job: String, chat: Int64)? in
            guard let job = entry["ref"]?.stringValue, let chat = entry["chat_id"]?.int64Value else { return nil }
            return (job, chat)
        }
        guard !jobs.isEmpty else { return 0 }
        let settlementIDs = jobs.flatMap { ["generation_success:\($0.job)", "generation_refund:\($0.job)"] }
        let settled = Set(try await ledger.find(["_id": ["$in": .array(settlementIDs.map(BSON.string))]], projection: ["_id": 1])
            .compactMap { $0["_id"]?.stringValue }
            .compactMap { $0.split(separator: ":", maxSplits: 1).last.map(String.init) })
        var refunded = 0
        for (job, chat) in jobs where !settled.contains(job) {
            let status = try await queue.job(id: job)?.status
            guard status == nil || status == .failed else { continue }
            try await billing.refund(jobID: job, chatID: chat, now: Date.nowMillis)
            refunded += 1
            logger.warning("refunded a generation that can no longer finish", metadata: [
                "job_id": "\(job)", "chat_id": "\(chat)", "job_status": "\(status?.rawValue ?? "missing")",
            ])
        }
        return refunded
    }

    /// The index the sweep reads by.
    public func createIndexes() async throws {
        try await ledger.createIndex(["reason": 1, "at": -1], name: "reason_at")
    }
}
