import Foundation
import NIOCore
import OzhDomain
import OzhQueue
import OzhSupport

extension JobAnswer {
    /// Builds the answer for `snapshot` (the route's side: the cache and the reads; ``JobView``
    /// only formats). A succeeded generation's answer (its images read from GridFS
    /// and base64-encoded) comes from `caches.answers` when it was built for the same job fields
    /// less than `JOB_CACHE_TTL_MS` ago and retention has not expired the job since (one find
    /// of the record's `expired_at`, never GridFS); every other answer is built from the
    /// snapshot alone.
    ///
    /// With an `eta` the tag is weak (`W/"…"`) and left out of it: the estimate moves every
    /// second, and a long poll with `If-None-Match` must not wake for that. The estimate's
    /// fields come last (a waiting job's body has no `result` or `error`), spliced onto the
    /// serialized body the tag is taken from: one build of the body, not two.
    static func build(
        _ snapshot: JobSnapshot, generations: GenerationStore, caches: JobCaches,
        eta: JobETA? = nil
    ) async throws -> JobAnswer {
        let job = snapshot.job
        let cacheable = job.status == .succeeded && job.is(.generation) && job.result != nil
        let version = cacheable ? fingerprint(job) : ""
        if cacheable, let entry = caches.answers.get(job.id, version: version) {
            try await caches.stillKept(job.id, generations: generations)
            return JobAnswer(body: entry.body, etag: entry.etag, isFinal: true)
        }
        if let eta, job.status == .queued || job.status == .retrying {
            let plain = JobView.json(snapshot, images: try await generations.answerImages(of: job)).serialized
            let etag = "W/" + EntityTag.of(ByteBuffer(string: plain))
            let body = ByteBuffer(string: plain.dropLast() + "," + JSONValue.object(eta.fields).serialized.dropFirst())
            return JobAnswer(body: body, etag: etag, isFinal: false)
        }
        let body = ByteBuffer(string: JobView.json(snapshot, images: try await generations.answerImages(of: job)).serialized)
        let etag = EntityTag.of(body)
        if cacheable { caches.answers.put(job.id, version: version, body: body, etag: etag) }
        return JobAnswer(body: body, etag: etag, isFinal: job.status.isFinal)
    }

    /// Every field of the job the view shows, so an entry built from other fields is never used.
    static func fingerprint(_ job: Job) -> String {
        func ms(_ date: Date?) -> String { date.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? "-" }
        return [
            job.status.rawValue, job.kind, String(job.attempts), ms(job.createdAt), ms(job.startedAt), ms(job.finishedAt),
            job.progress ?? "-", job.result ?? "-", job.callback?.fingerprint ?? "-",
        ].joined(separator: "\u{1F}")
    }
}
