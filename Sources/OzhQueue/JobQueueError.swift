import Foundation
import OzhRedis
import OzhSupport

/// Failures of the job queue, each with a stable code.
public enum JobQueueError: CodedError, Equatable {
    /// Redis failed; the code is Redis' own (`redis_unavailable`, `redis_timeout`, ...).
    case redis(RedisError)
    /// A job hash could not be read as a job.
    case malformedJob(id: String, reason: String)
    /// An argument was rejected before anything was sent.
    case invalidArgument(String)

    public var code: String {
        switch self {
        case .redis(let error): return error.code
        case .malformedJob: return "job_malformed"
        case .invalidArgument: return "job_invalid_argument"
        }
    }

    public var message: String {
        switch self {
        case .redis(let error): return error.message
        case .malformedJob(let id, let reason): return "job \(id) is malformed: \(reason)"
        case .invalidArgument(let why): return why
        }
    }
}

/// What a handler throws to end its job with a coded error.
///
/// A retryable failure is retried with backoff while attempts remain; otherwise the job
/// goes to the dead list with status `failed`.
public struct JobFailure: CodedError, Equatable {
    /// Stable code stored in the job's `error_code`.
    public let code: String
    /// Human text stored in `error_message` (never a secret).
    public let message: String
    /// Whether another attempt may succeed.
    public let retryable: Bool

    /// Creates a failure.
    public init(code: String, message: String, retryable: Bool) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }
}

/// What a handler throws to put its job back to wait (e.g. until quota frees up)
/// without spending an attempt.
public struct JobPostpone: Error, Sendable, Equatable {
    /// When the job may run again.
    public let until: Date
    /// Why it waits, stored in `error_message`.
    public let reason: String

    /// Postpones until `until`.
    public init(until: Date, reason: String) {
        self.until = until
        self.reason = reason
    }

    /// Postpones for `delay` from now.
    public init(for delay: Duration, reason: String) {
        self.init(until: Date().addingTimeInterval(Double(delay.wholeMilliseconds) / 1000), reason: reason)
    }
}
