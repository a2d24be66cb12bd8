import Logging

/// What a handler gets: the job, a logger carrying its ids, and a way to report progress.
public struct JobContext: Sendable {
    /// The job, as reserved (its `attempts` counts this attempt).
    public let job: Job
    /// A logger with metadata `job_id`, `kind`, `attempt` and `chat_id`.
    public let logger: Logger
    /// The worker running the job.
    public let worker: String
    let queue: JobQueue

    /// Confirms this worker still holds the attempt (see ``JobQueue/confirmHeld(_:worker:)``);
    /// call it before every paid external call and before settling. Throws ``JobLost`` when
    /// another worker took the job over, or a Redis error when it cannot tell.
    public func confirmHeld() async throws {
        try await queue.confirmHeld(job, worker: worker)
    }

    /// Stores `progress` (JSON) in the job's hash for pollers to read, and queues its push when
    /// the job's callback asked for progress events.
    public func reportProgress(_ progress: String) async throws(JobQueueError) {
        try await queue.setProgress(id: job.id, progress: progress)
        await queue.pushProgress(of: job, progress: progress, logger: logger)
    }
}
