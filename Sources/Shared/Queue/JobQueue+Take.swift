import Foundation

/// What a non-blocking take found.
enum JobTake: Sendable {
    /// The ready list was empty: wait with BLMOVE.
    case empty
    /// A stale id was popped and dropped: try again.
    case stray
    /// A job, now `processing` for this worker.
    case job(Job)
}

extension JobQueue {
    /// Takes the oldest ready job without blocking: LMOVE into `worker`'s processing list and
    /// marking it processing in one script on the shared (multiplexed) connections. While a
    /// backlog lasts this replaces a BLMOVE and a second script on the consumer's own blocking
    /// connection — one round trip and no thread hop per job.
    func take(queue: String, worker: String) async throws(JobQueueError) -> JobTake {
        let k = keys(queue)
        let reply = try await run(JobQueueScripts.take, keys: [k.ready, k.processing(worker)],
                                  arguments: [k.job(""), worker, k.events])
        guard let parts = reply.array, !parts.isEmpty else { return .empty }
        guard parts.count == 2 else { return .stray }
        return .job(try Job(fields: parts[1].pairs))
    }
}

extension JobQueueScripts {
    /// KEYS: ready, processing. ARGV: job key prefix, worker, channel.
    /// Returns false when the list is empty, {id} for a stray id (dropped), {id, hash} for a job.
    static let take = script("take", """
    local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
    if not id then return false end
    local job = ARGV[1] .. id
    if redis.call('HGET', job, 'status') ~= 'queued' then
      redis.call('LREM', KEYS[2], 1, id)
      return {id}
    end
    return {id, start_attempt(job, id, ARGV[2], ARGV[3])}
    """)
}
