import Foundation
import OzhRedis

/// What a non-blocking take found.
enum JobTake: Sendable, Equatable {
    /// The ready list was empty: wait with BLMOVE.
    case empty
    /// Only stale ids were popped (and dropped): try again.
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
        let reply = try await run(
            JobQueueScripts.take, keys: [k.ready, k.processing(worker), k.sequence],
            arguments: [k.job(""), worker, k.events])
        return try JobTake(reply)
    }
}

extension JobTake {
    /// Reads `take_next`'s reply: false (empty), 'stray', or {id, hash}.
    init(_ reply: RedisReply) throws(JobQueueError) {
        if reply.string == "stray" {
            self = .stray
        } else if let parts = reply.array, parts.count == 2 {
            self = .job(try Job(fields: parts[1].pairs))
        } else {
            self = .empty
        }
    }
}

extension JobQueueScripts {
    /// `Lua/queue.take.lua` (its header: what it takes and answers).
    static let take = script("take", LuaSource.text(PackageResources.queue_take_lua))
}
