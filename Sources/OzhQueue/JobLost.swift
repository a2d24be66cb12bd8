import OzhSupport

/// Thrown when the attempt a handler runs is no longer this worker's: another worker
/// recovered the job while this one was stalled (paused, partitioned from Redis), or the job's
/// record is gone. The handler stops at once and settles nothing; the runtime records nothing.
public struct JobLost: CodedError, Equatable {
    /// The job.
    public let jobID: String
    /// Who holds it now, if anyone.
    public let holder: String?

    /// Creates the error.
    public init(jobID: String, holder: String?) {
        self.jobID = jobID
        self.holder = holder
    }

    /// `job_lost`.
    public var code: String { "job_lost" }

    public var message: String {
        "this worker no longer holds job \(jobID)" + (holder.map { " (now held by \($0))" } ?? "")
    }
}
