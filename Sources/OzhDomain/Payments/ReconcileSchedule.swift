import Foundation

/// When reconciliation re-reads a pending payment: first `after` its creation, then after each
/// pause of `backoff` (the last one repeats: 3 min, then 10 min, 30 min, 1 h, hourly by default),
/// until YooKassa's confirmation expiry has passed — one re-read at or after it, then no more.
public struct ReconcileSchedule: Sendable, Equatable {
    /// From creation to the first re-read.
    public var after: Duration
    /// The pauses between later re-reads; the last one repeats.
    public var backoff: [Duration]
    /// How long YooKassa waits for the payer before it cancels (`expired_on_confirmation`).
    public var confirmationExpiry: Duration

    public init(after: Duration, backoff: [Duration], confirmationExpiry: Duration) {
        self.after = after
        self.backoff = backoff.isEmpty ? [after] : backoff
        self.confirmationExpiry = confirmationExpiry
    }

    /// The schedule the settings describe (`RECONCILE_AFTER_MS`, `RECONCILE_BACKOFF_MS`,
    /// `PAYMENT_CONFIRMATION_EXPIRY_MS`).
    public init(settings: ReconcileSettings) {
        self.init(
            after: .milliseconds(settings.afterMS), backoff: settings.backoffMS.map { .milliseconds($0) },
            confirmationExpiry: .milliseconds(settings.confirmationExpiryMS))
    }

    /// When a payment created at `createdAt` is first re-read.
    public func firstCheck(createdAt: Date) -> Date { createdAt + after.timeInterval }

    /// When the re-read after re-read number `done` (1-based, made at `now`) is due, or nil when
    /// `now` is already past the confirmation expiry (that re-read was the last one).
    public func nextCheck(afterCheck done: Int, createdAt: Date, now: Date) -> Date? {
        let expiry = createdAt + confirmationExpiry.timeInterval
        guard now < expiry else { return nil }
        let pause = backoff[min(max(done - 1, 0), backoff.count - 1)]
        return min(now + pause.timeInterval, expiry)
    }
}
