import OzhQueue

/// The retry policy of `generation` jobs, shared by the gateway (which sets `max_attempts`
/// when it enqueues) and the worker.
public enum GenerationPolicy {
    /// 6 attempts, backoff from 2 s up to 2 min, 10 min per attempt (N Gemini calls).
    public static let retry = RetryPolicy(maxAttempts: 6, baseDelay: .seconds(2), maxDelay: .seconds(120), timeout: .seconds(600))
}
