import Foundation
import OzhQueue
import OzhSettings

/// Push on completion (README "For bot developers" → "Push on completion"): where job callbacks
/// go by default, how they are signed, which private hosts they may reach, and how they are retried.
public struct CallbackSettings: Sendable, Equatable {
    /// `JOB_CALLBACK_URL`: the callback of every job whose request names none; nil = no push.
    public var defaultURL: String?
    /// `JOB_CALLBACK_SECRET`: one or two (comma-separated, during rotation) `whsec_<base64>`
    /// secrets; every delivery carries one signature per secret. Without one no callback is
    /// accepted (`400 invalid_callback_url`) and the payment worker runs no deliveries.
    public var secrets: [WebhookSecret]
    /// `CALLBACK_ALLOWED_HOSTS`: host names or addresses (lowercase, comma-separated) a callback may
    /// reach even though they resolve to a private, loopback or link-local address.
    public var allowedHosts: Set<String>
    /// `CALLBACK_RETRY_BASE_MS` (5,000): backoff before the second delivery attempt; doubles per
    /// attempt with full jitter.
    public var retryBaseMS: Int
    /// `CALLBACK_RETRY_MAX_MS` (3,600,000): the largest backoff between two attempts.
    public var retryMaxMS: Int
    /// `CALLBACK_RETRY_FOR_MS` (86,400,000 = 24 h): how long after the event deliveries are retried.
    public var retryForMS: Int
    /// `CALLBACK_TIMEOUT_MS` (10,000): time one delivery attempt may take (connect to answer).
    public var timeoutMS: Int
    /// `CALLBACK_CONCURRENCY` (4): deliveries the payment worker sends at once.
    public var concurrency: Int

    /// Reads and validates the callback settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        defaultURL = source.string("JOB_CALLBACK_URL")
        if let defaultURL {
            do {
                _ = try CallbackURL(defaultURL)
            } catch {
                throw .invalid(variable: "JOB_CALLBACK_URL", reason: error.message)
            }
        }
        do {
            secrets = try source.list("JOB_CALLBACK_SECRET").map { text throws(CallbackURLError) in try WebhookSecret(text) }
        } catch {
            throw .invalid(variable: "JOB_CALLBACK_SECRET", reason: "expected whsec_ followed by base64 (at least 16 bytes), comma-separated")
        }
        guard secrets.count <= 2 else {
            throw .invalid(variable: "JOB_CALLBACK_SECRET", reason: "at most two secrets (the old and the new one during rotation)")
        }
        if defaultURL != nil, secrets.isEmpty { throw .missing(variable: "JOB_CALLBACK_SECRET") }
        allowedHosts = Set(source.list("CALLBACK_ALLOWED_HOSTS").map { CallbackURL.normalizedHost($0) })
        retryBaseMS = try source.int("CALLBACK_RETRY_BASE_MS", default: 5_000, in: 1...3_600_000)
        retryMaxMS = try source.int("CALLBACK_RETRY_MAX_MS", default: 3_600_000, in: 1...86_400_000)
        retryForMS = try source.int("CALLBACK_RETRY_FOR_MS", default: 86_400_000, in: 1_000...7 * 86_400_000)
        timeoutMS = try source.int("CALLBACK_TIMEOUT_MS", default: 10_000, in: 100...120_000)
        concurrency = try source.int("CALLBACK_CONCURRENCY", default: 4, in: 1...256)
    }

    /// The delivery backoff (full jitter, ``RetryPolicy/backoff(afterAttempt:)``).
    public var retryPolicy: RetryPolicy {
        RetryPolicy(
            maxAttempts: 1_000, baseDelay: .milliseconds(retryBaseMS), maxDelay: .milliseconds(retryMaxMS),
            timeout: .milliseconds(timeoutMS + 15_000))
    }
}
