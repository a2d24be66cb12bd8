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

    /// Stores `progress` (JSON) in the job's hash for pollers to read.
    public func reportProgress(_ progress: String) async throws(JobQueueError) {
        try await queue.setProgress(id: job.id, progress: progress)
    }
}
