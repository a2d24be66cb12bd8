import OzhObservability

/// How one attempt of a job ended, as counted by `ozh_jobs_total{queue, kind, outcome}`.
public enum JobOutcome: String, Sendable, CaseIterable {
    /// The handler returned and the result was recorded.
    case succeeded
    /// The attempt failed and the job waits in the delayed set for another attempt.
    case retrying
    /// The handler failed in a way no retry can fix; the job is in the dead list.
    case failed
    /// The attempt failed retryably but no attempts were left; the job is in the dead list.
    case dead
    /// The handler asked to wait (e.g. for Gemini quota) without spending an attempt.
    case postponed
    /// Graceful shutdown gave the job back to the queue unfinished.
    case released
    /// The outcome could not be recorded: another worker recovered the job meanwhile, or
    /// Redis did not answer (the job is then recovered from this worker's processing list).
    case lost
}

/// Jobs run by a ``WorkerRuntime``: `ozh_jobs_total{queue, kind, outcome}` and
/// `ozh_job_duration_seconds{queue, kind, outcome}` (the handler's run time).
///
/// `kind` is a registered job kind, or `unknown` for a job no handler was registered for, so a
/// stray enqueue cannot grow the label set.
public enum JobMetrics {
    /// The `kind` of a job this worker has no handler for.
    public static let unknownKind = "unknown"

    static let jobs = CounterFamily(
        "ozh_jobs_total", "Job attempts ended, by queue, job kind and outcome.", labels: ["queue", "kind", "outcome"])
    static let duration = DurationHistogramFamily(
        "ozh_job_duration_seconds", "Run time of a job attempt's handler, by queue, job kind and outcome.",
        labels: ["queue", "kind", "outcome"],
        buckets: [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5), .seconds(10), .seconds(20), .seconds(30), .seconds(60), .seconds(120),
            .seconds(300), .seconds(600),
        ])

    /// Creates every outcome's counter of `kind` at 0, so rates and alerts see the series
    /// before the first job ends.
    public static func prepare(queue: String, kind: String) {
        for outcome in JobOutcome.allCases { _ = jobs.with(queue, kind, outcome.rawValue) }
    }

    /// Counts one ended attempt; `duration` is nil when no handler ran.
    public static func record(queue: String, kind: String, outcome: JobOutcome, duration elapsed: Duration?) {
        jobs.with(queue, kind, outcome.rawValue).increment()
        if let elapsed { duration.with(queue, kind, outcome.rawValue).record(elapsed) }
    }
}
