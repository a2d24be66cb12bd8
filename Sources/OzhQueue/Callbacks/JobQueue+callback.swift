import Foundation
import OzhRedis

extension JobQueue {
    /// Queues the push of `event` for `job` when it has a callback (progress events only when it
    /// asked for them). Idempotent per job and event. Returns the delivery, or nil when none is due.
    @discardableResult
    public func enqueueCallback(for job: Job, event: String) async throws(JobQueueError) -> CallbackDelivery? {
        guard let callback = job.callback else { return nil }
        let delivery = CallbackDelivery(jobID: job.id, event: event, url: callback.url)
        if !delivery.isFinal && !callback.progress { return nil }
        // Attempts are counted and bounded by the delivery itself (24 h of postponements).
        try await enqueue(.callback, payload: delivery, chatID: job.chatID, maxAttempts: 1, id: delivery.deliveryJobID)
        return delivery
    }

    /// Counts one more delivery attempt of the delivery job `deliveryJobID`; returns the count.
    public func countCallbackAttempt(deliveryJobID: String) async throws(JobQueueError) -> Int {
        do {
            let reply = try await redis.send("HINCRBY", keys(QueueNames.callback).job(deliveryJobID), "sends", "1")
            return Int(reply.int ?? 1)
        } catch {
            throw .redis(error)
        }
    }

    /// Writes the outcome of a delivery attempt into job `jobID`'s hash (the `callback` object of
    /// `GET /jobs/{id}`), and wakes its long-polls. Nothing is written when the hash is gone
    /// (expired), nor for a progress event once the job has ended (the final event's state wins).
    public func recordCallback(jobID: String, state: JobCallback, final: Bool) async throws(JobQueueError) {
        let k = keys("")
        let next = state.nextAttemptAt.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? ""
        try await run(
            JobQueueScripts.recordCallback, keys: [k.job(jobID)],
            arguments: [jobID, state.status, String(state.attempts), state.lastStatus ?? "", next, final ? "1" : "0", k.events])
    }
}

extension JobQueueScripts {
    /// `Lua/queue.record_callback.lua` (its header: what it takes and answers).
    static let recordCallback = RedisScript(name: "queue.record_callback", source: LuaSource.text(PackageResources.queue_record_callback_lua))
}
