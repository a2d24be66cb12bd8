import Logging
import OzhDomain
import OzhQueue
import ServiceLifecycle

/// Publishes the worker's keyring (project → key ids and labels, never secrets) to Redis at
/// start-up and again every `interval` (so a Redis that lost it learns it back), for the
/// gateway's "every key disabled" check (``QuotaLimiter/publishKeyring()``).
struct KeyringPublisher: Service {
    let limiter: QuotaLimiter
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await periodically(every: interval, "publishing the Gemini keyring", logger: logger) {
            try await limiter.publishKeyring()
        }
    }
}
