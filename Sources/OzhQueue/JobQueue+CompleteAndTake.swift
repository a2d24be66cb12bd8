import Foundation
import OzhRedis

/// What ``JobQueue/complete(_:worker:result:thenTakeFrom:)`` did.
struct JobCompletion: Sendable, Equatable {
    /// The job succeeded; false when `worker` no longer held that attempt (nothing changed then,
    /// and nothing was taken).
    var completed: Bool
    /// The next job, when one was asked for and the job was completed; nil otherwise.
    var next: JobTake?
}

extension JobQueue {
    /// Completes `job` exactly as ``complete(_:worker:result:)`` does (the same fencing on worker
    /// and attempt, TTL and event) and, in the same script, takes the oldest job of
    /// `nextQueue` as ``take(queue:worker:)`` does: one round trip per job while a backlog lasts.
    /// With `nextQueue` nil it takes nothing (shutdown, a consumer that stops). A refused
    /// completion takes nothing either.
    func complete(_ job: Job, worker: String, result: String, thenTakeFrom nextQueue: String?) async throws(JobQueueError) -> JobCompletion {
        let k = keys(job.queue), next = keys(nextQueue ?? job.queue)
        let reply = try await run(
            JobQueueScripts.completeAndTake,
            keys: [k.job(job.id), k.processing(worker), next.ready, next.processing(worker), next.sequence],
            arguments: [
                job.id, worker, String(job.attempts), result, String(configuration.finishedJobTTL.wholeMilliseconds),
                k.events, next.job(""), nextQueue == nil ? "0" : "1",
            ])
        guard let parts = reply.array, let done = parts.first?.int else {
            throw .redis(.unexpectedReply("complete_and_take returned \(reply)"))
        }
        guard done == 1 else { return JobCompletion(completed: false, next: nil) }
        guard nextQueue != nil else { return JobCompletion(completed: true, next: nil) }
        return JobCompletion(completed: true, next: try JobTake(parts.count > 1 ? parts[1] : .null))
    }
}

extension JobQueueScripts {
    /// `Lua/queue.complete_and_take.lua` (its header: what it takes and answers).
    static let completeAndTake = script("complete_and_take", LuaSource.text(PackageResources.queue_complete_and_take_lua))
}
