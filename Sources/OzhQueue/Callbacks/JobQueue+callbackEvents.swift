import Foundation
import Logging

extension JobQueue {
    /// Queues the push of `job`'s end (`succeeded` or `failed`) when it has a callback: its
    /// `callback` state is reset to `pending` first (a progress delivery may have left its own),
    /// then the delivery is queued. Never throws: a failure is logged and counted
    /// (`ozh_callback_deliveries_total{outcome="enqueue_failed"}`), the job is not affected.
    public func pushEnd(of job: Job, status: JobStatus, logger: Logger) async {
        guard let callback = job.callback, status.isFinal else { return }
        do {
            var pending = callback
            pending.status = "pending"
            pending.attempts = 0
            pending.lastStatus = nil
            pending.nextAttemptAt = nil
            try await recordCallback(jobID: job.id, state: pending, final: true)
            try await enqueueCallback(for: job, event: status.rawValue)
        } catch {
            CallbackMetrics.record("enqueue_failed")
            logger.error("could not queue the job's callback", metadata: ["error": "\(error)", "event": "\(status.rawValue)"])
        }
    }

    /// Queues the push of a progress report (`{"images_done": n, …}`) as event `progress.<n>` when
    /// `job`'s callback asked for progress. Never throws (logged and counted like ``pushEnd(of:status:logger:)``).
    public func pushProgress(of job: Job, progress: String, logger: Logger) async {
        guard let callback = job.callback, callback.progress else { return }
        struct Done: Decodable { let images_done: Int }
        guard let done = try? JSONDecoder().decode(Done.self, from: Data(progress.utf8)) else { return }
        do {
            try await enqueueCallback(for: job, event: "progress.\(done.images_done)")
        } catch {
            CallbackMetrics.record("enqueue_failed")
            logger.error("could not queue the job's progress callback", metadata: ["error": "\(error)"])
        }
    }
}
