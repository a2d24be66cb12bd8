/// How a job kind is retried and how long one attempt may run.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts allowed (caps the job's own `max_attempts`).
    public var maxAttempts: Int
    /// Backoff before the second attempt (before jitter).
    public var baseDelay: Duration
    /// The largest backoff.
    public var maxDelay: Duration
    /// How long one attempt may run before it fails with the retryable code `timeout`.
    public var timeout: Duration

    /// Creates a policy.
    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .seconds(2), maxDelay: Duration = .seconds(300),
        timeout: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// The upper bound of the backoff after `attempt` failed: `baseDelay * 2^(attempt-1)`, capped at `maxDelay`.
    public func backoffCeiling(afterAttempt attempt: Int) -> Duration {
        let base = baseDelay.wholeMilliseconds
        let cap = maxDelay.wholeMilliseconds
        let exponent = min(max(0, attempt - 1), 40)
        let (scaled, overflow) = base.multipliedReportingOverflow(by: Int64(1) << exponent)
        return .milliseconds(overflow ? cap : min(cap, scaled))
    }

    /// The backoff after `attempt` failed, with full jitter: uniform in 0...``backoffCeiling(afterAttempt:)``.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        .milliseconds(Int64.random(in: 0...backoffCeiling(afterAttempt: attempt).wholeMilliseconds))
    }
}
