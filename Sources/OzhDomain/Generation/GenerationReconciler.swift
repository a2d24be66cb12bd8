import Foundation
import Logging
import OzhMongo
import OzhQueue
import OzhSupport

/// Settles the charges that nobody else will settle, and writes ledger entries a crash lost.
/// Every decision starts from MongoDB: a charge is unsettled exactly while its job id is in the
/// user's `active_generations` (see ``GenerationBilling``), so a succeeded job whose Redis
/// record expired or was lost is never refunded.
///
/// One pass:
/// - **Unsettled charges.** Pages through the users with active generations. For each job it
///   looks at the Redis record only to learn whether the job can still run: `failed` (a job
///   recovered after its last attempt, or timed out) is refunded at once; a missing record
///   (the gateway died between charge and enqueue, or Redis lost its data) is refunded once the
///   charge is older than `after`; `succeeded` settles the success. Those users' missing ledger
///   entries are written first.
/// - **Lost ledger writes.** Pages through the users whose `ops_at` moved since the previous
///   pass (a checkpoint in `sweep_state`, with an overlap for clock skew) and writes the
///   ledger entries their recent operations lack.
///
/// Any number of workers may sweep at once: every step is an exactly-once ledger operation.
public struct GenerationReconciler: Sendable {
    let users: MongoCollection
    let sweepState: MongoCollection
    /// Whose refund and success paths every settlement goes through.
    let service: GenerationService
    var billing: GenerationBilling { service.billing }
    var queue: JobQueue { service.queue }
    var logger: Logger { service.logger }
    /// How far back each repair pass reaches before its checkpoint.
    static let repairOverlap: TimeInterval = 600
    /// How far back the very first repair pass reaches.
    static let firstRepairReach: TimeInterval = 7 * 86_400

    /// What one pass did.
    public struct Report: Sendable, Equatable {
        /// Charges refunded because their job can no longer run.
        public var refunded = 0
        /// Charges whose job had succeeded but whose success was not settled.
        public var succeeded = 0
        /// Ledger entries written from users' operations.
        public var repaired = 0
    }

    public init(mongo: MongoClient, billing: GenerationBilling, queue: JobQueue, logger: Logger) {
        self.init(service: GenerationService(mongo: mongo, billing: billing, queue: queue, logger: logger))
    }

    /// The sweep of `service` (``GenerationService/sweep(after:now:pageSize:)``).
    public init(service: GenerationService) {
        users = service.mongo.collection("users")
        sweepState = service.mongo.collection("sweep_state")
        self.service = service
    }

    /// One pass, `pageSize` users at a time (so every user is reached however many there are).
    @discardableResult
    public func sweep(after: Duration, now: Date = Date(), pageSize: Int = 200) async throws -> Report {
        var report = Report()
        try await settleActive(after: after, now: now, pageSize: max(1, pageSize), into: &report)
        try await repairRecentLedger(now: now, pageSize: max(1, pageSize), into: &report)
        return report
    }

    /// Pages through users with unsettled charges by `_id`.
    private func settleActive(after: Duration, now: Date, pageSize: Int, into report: inout Report) async throws {
        var cursor: Int64?
        while true {
            var filter: BSONDocument = ["active_generations.0": ["$exists": true]]
            if let cursor { filter["_id"] = ["$gt": .int64(cursor)] }
            let page = try await users.find(filter, sort: ["_id": 1], limit: pageSize, as: UserRecord.self)
            report.repaired += try await billing.ledger.repair(page)
            for user in page {
                for job in user.activeGenerations ?? [] {
                    try await settle(job: job, of: user, after: after, now: now, into: &report)
                }
            }
            guard page.count == pageSize, let last = page.last else { return }
            cursor = last.chatID
        }
    }

    /// Settles one unsettled charge when its job can no longer run (or already succeeded).
    private func settle(job: String, of user: UserRecord, after: Duration, now: Date, into report: inout Report) async throws {
        let status = try await queue.job(id: job)?.status
        var logger = self.logger
        logger[metadataKey: "job_id"] = "\(job)"
        logger[metadataKey: "chat_id"] = "\(user.chatID)"
        logger[metadataKey: "job_status"] = "\(status?.rawValue ?? "missing")"
        do {
            switch status {
            case .failed?:
                guard case .refunded = try await service.refund(jobID: job, chatID: user.chatID) else { return }
                report.refunded += 1
                await service.recordFailed(jobID: job, error: nil)
                logger.warning("refunded a generation that ended failed without its refund")
            case .succeeded?:
                _ = try await service.settleSuccess(jobID: job, chatID: user.chatID)
                report.succeeded += 1
                try? await service.store.finish(jobID: job, status: "succeeded", error: nil, now: Date.nowMillis)
                logger.warning("settled the success of a generation that succeeded without it")
            case nil:
                let charged = user.ops.first { $0.id == "generation_charge:\(job)" }?.at
                let age = now.timeIntervalSince(charged ?? .distantPast)
                guard age > after.timeInterval else { return }
                // The same refund path as the gateway's and the handler's.
                guard case .refunded = try await service.refund(jobID: job, chatID: user.chatID) else { return }
                report.refunded += 1
                await service.recordFailed(jobID: job, error: JobError(code: "job_lost", message: "the job no longer existed; refunded"))
                logger.warning("refunded a generation whose job no longer exists", metadata: ["charge_age_s": "\(Int(age))"])
            case .queued?, .processing?, .retrying?:
                return // it can still run; the handler settles it
            }
        } catch BillingError.alreadySettled {
            return // the handler settled it meanwhile
        }
    }

    /// Writes missing ledger entries of users whose operations changed since the checkpoint.
    private func repairRecentLedger(now: Date, pageSize: Int, into report: inout Report) async throws {
        let checkpoint = try await sweepState.findOne(["_id": "ledger_repair"])?["through"]?.dateValue
        let since = checkpoint.map { $0.addingTimeInterval(-Self.repairOverlap) } ?? now.addingTimeInterval(-Self.firstRepairReach)
        var cursor: (at: Date, id: Int64)?
        while true {
            var filter: BSONDocument = ["ops_at": ["$gte": .date(since)]]
            if let cursor {
                filter["$or"] = .array([
                    .document(["ops_at": ["$gt": .date(cursor.at)]]),
                    .document(["ops_at": .date(cursor.at), "_id": ["$gt": .int64(cursor.id)]]),
                ])
            }
            let page = try await users.find(filter, sort: ["ops_at": 1, "_id": 1], limit: pageSize, as: UserRecord.self)
            report.repaired += try await billing.ledger.repair(page)
            guard page.count == pageSize, let last = page.last, let at = last.opsAt else { break }
            cursor = (at, last.chatID)
        }
        try await sweepState.updateOne(["_id": "ledger_repair"], ["$set": ["through": .date(now)]], upsert: true)
    }

    /// The indexes the sweep reads by (see ``Ledger/createIndexes()``).
    public func createIndexes() async throws {
        try await billing.ledger.createIndexes()
    }
}
