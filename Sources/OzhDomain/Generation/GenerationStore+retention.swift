import Foundation
import OzhMongo

/// Retention (`IMAGE_RETENTION_DAYS`): a generation older than the cut-off loses its drawing
/// (in the record, or in GridFS),
/// its images and its record's content; a tombstone (`_id`, `chat_id`, `status`, `created_at`,
/// `finished_at`, `expired_at`) stays, so the gateway answers 410 `images_expired` and the
/// money code still sees how the job ended. A job still unsettled (its id in some user's
/// `active_generations`) is never touched, nor is `ledger`. Everything goes page by page, in
/// date order over an index, so a pass reads only what is old and not yet expired.
extension GenerationStore {
    /// One pass: expires the records created before `cutoff`, then deletes any other GridFS
    /// file uploaded before it (drawings of jobs that were never recorded) whose job is not
    /// unsettled.
    public func expire(before cutoff: Date, now: Date = Date(), pageSize: Int = 100) async throws -> RetentionReport {
        var report = try await expireRecords(before: cutoff, now: now, pageSize: pageSize)
        report.files += try await deleteOldFiles(before: cutoff, pageSize: pageSize)
        return report
    }

    /// When retention expired job `jobID`'s record, or nil (young, or no such record).
    public func expiredAt(jobID: String) async throws -> Date? {
        try await generations.findOne(["_id": .string(jobID)], projection: ["expired_at": 1])?["expired_at"]?.dateValue
    }

    /// The indexes a pass reads by.
    public func createRetentionIndexes() async throws {
        try await generations.createIndex(["expired_at": 1, "created_at": 1, "_id": 1], name: "retention")
        try await filesCollection.createIndex(["uploadDate": 1, "_id": 1], name: "retention")
    }

    private var filesCollection: MongoCollection { images.client.collection("\(images.bucketName).files") }

    private func expireRecords(before cutoff: Date, now: Date, pageSize: Int) async throws -> RetentionReport {
        var report = RetentionReport()
        var cursor: (at: Date, id: BSON)?
        while true {
            try Task.checkCancellation()
            let filter = Self.page(["expired_at": .null], "created_at", before: cutoff, after: cursor)
            let page = try await generations.find(
                filter, sort: ["created_at": 1, "_id": 1], limit: max(1, pageSize),
                projection: ["_id": 1, "created_at": 1, "input_image_id": 1, "outputs": 1])
            let unsettled = try await unsettledJobs(page.compactMap { $0["_id"]?.stringValue })
            for record in page {
                guard let id = record["_id"]?.stringValue else { continue }
                if unsettled.contains(id) {
                    report.keptUnsettled += 1
                    continue
                }
                let files =
                    [record["input_image_id"]?.stringValue].compactMap { $0 }
                    + (record["outputs"]?.documentValue?.compactMap { $0.value.stringValue } ?? [])
                for file in files { try await deleteImage(file) }
                report.files += files.count
                try await generations.updateOne(
                    ["_id": .string(id), "expired_at": .null],
                    [
                        "$set": ["expired_at": .date(now)],
                        "$unset": [
                            "input_image_id": "", "input_image": "", "input_image_size": "", "outputs": "", "slots": "", "calls": "", "model": "",
                            "error": "",
                        ],
                    ])
                report.records += 1
            }
            guard page.count == max(1, pageSize), let last = page.last, let at = last["created_at"]?.dateValue,
                let id = last["_id"]
            else { return report }
            cursor = (at, id)
        }
    }

    /// Deletes GridFS files uploaded before `cutoff` whose job is not unsettled (files of
    /// expired records are already gone; this catches uploads no record points at).
    private func deleteOldFiles(before cutoff: Date, pageSize: Int) async throws -> Int {
        var deleted = 0
        var cursor: (at: Date, id: BSON)?
        while true {
            try Task.checkCancellation()
            let page = try await filesCollection.find(
                Self.page([:], "uploadDate", before: cutoff, after: cursor),
                sort: ["uploadDate": 1, "_id": 1], limit: max(1, pageSize),
                projection: ["_id": 1, "uploadDate": 1, "metadata.job_id": 1])
            let jobOf = page.compactMap { file -> (ObjectId, String)? in
                guard let id = file["_id"]?.objectIdValue, let job = file["metadata"]?.documentValue?["job_id"]?.stringValue else { return nil }
                return (id, job)
            }
            let unsettled = try await unsettledJobs(jobOf.map(\.1))
            for (id, job) in jobOf where !unsettled.contains(job) {
                try await deleteImage(id.hex)
                deleted += 1
            }
            guard page.count == max(1, pageSize), let last = page.last, let at = last["uploadDate"]?.dateValue,
                let id = last["_id"]
            else { return deleted }
            cursor = (at, id)
        }
    }

    /// `base` and `field` before `cutoff`, strictly after `cursor` in (`field`, `_id`) order.
    private static func page(_ base: BSONDocument, _ field: String, before cutoff: Date, after cursor: (at: Date, id: BSON)?) -> BSONDocument {
        var filter = base
        filter[field] = ["$lt": .date(cutoff)]
        if let cursor {
            filter["$or"] = .array([
                .document([field: ["$gt": .date(cursor.at)]]),
                .document([field: .date(cursor.at), "_id": ["$gt": cursor.id]]),
            ])
        }
        return filter
    }

    /// The ids among `jobs` that some user still has in `active_generations` (charged, not settled).
    func unsettledJobs(_ jobs: [String]) async throws -> Set<String> {
        guard !jobs.isEmpty else { return [] }
        let users = try await images.client.collection("users").find(
            ["active_generations": ["$in": .array(jobs.map(BSON.string))]], projection: ["active_generations": 1])
        return Set(users.flatMap { $0["active_generations"]?.arrayValue?.compactMap(\.stringValue) ?? [] }).intersection(jobs)
    }
}
