import Foundation

extension JobQueue {
    /// Queues the push of `event` for `job` when it has a callback (progress events only when it
    /// asked for them). Idempotent per job and event. Returns the delivery, or nil when none is due.
    @discardableResult
    public func enqueueCallback(for job: Job, event: String) async throws(JobQueueError) -> CallbackDelivery? {
        guard let callback = job.callback else { return nil }
        let delivery = CallbackDelivery(jobID: job.id, event: event, url: callback.url)
        if !delivery.isFinal && !callback.progress { return nil }
        let payload: String
        do {
            payload = String(decoding: try JSONEncoder().encode(delivery), as: UTF8.self)
        } catch {
            throw .invalidArgument("the delivery cannot be encoded")
        }
        // Attempts are counted and bounded by the delivery itself (24 h of postponements).
        try await enqueue(kind: CallbackDelivery.kind, queue: QueueNames.callback, payload: payload, chatID: job.chatID,
                          maxAttempts: 1, id: delivery.deliveryJobID)
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
        try await run(JobQueueScripts.recordCallback, keys: [k.job(jobID)],
                      arguments: [jobID, state.status, String(state.attempts), state.lastStatus ?? "", next, final ? "1" : "0", k.events])
    }
}

extension JobQueueScripts {
    /// KEYS: job. ARGV: id, status, attempts, last_status, next_at ms or '', final 1|0, channel. Returns 1, or 0 when not written.
    static let recordCallback = RedisScript(name: "queue.record_callback", source: """
    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
    if ARGV[6] == '0' then
      local status = redis.call('HGET', KEYS[1], 'status')
      if status == 'succeeded' or status == 'failed' then return 0 end
    end
    redis.call('HSET', KEYS[1], 'cb_status', ARGV[2], 'cb_attempts', ARGV[3], 'cb_last_status', ARGV[4])
    if ARGV[5] == '' then redis.call('HDEL', KEYS[1], 'cb_next_at') else redis.call('HSET', KEYS[1], 'cb_next_at', ARGV[5]) end
    redis.call('PUBLISH', ARGV[7], ARGV[1] .. ' callback')
    return 1
    """)
}
