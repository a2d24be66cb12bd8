import Foundation
import Logging
import OzhDomain
import OzhQueue
import OzhSupport
import ServiceLifecycle

/// Re-reads pending payments, so a lost webhook still credits. Every `interval` it pages through
/// every pending payment whose `next_check_at` has come (``PaymentService/duePayments(now:legacyAfter:afterID:limit:)``)
/// and queues one `confirm_payment` job per payment, `reconcile-<id>-<n>` for its n-th re-read,
/// on the widening ``ReconcileSchedule`` (3 min, 10 min, 30 min, 1 h, then hourly) until the
/// payment settles, YooKassa's confirmation expiry has passed, or YooKassa does not know it
/// (`unknown_at_provider`). A payment whose previous re-read is still queued, running or
/// retrying gets no new one, so each payment has at most one scheduled re-read at any time.
/// Job ids are deterministic, so several workers sweeping at once queue each re-read once.
struct Reconciler: Service {
    let service: PaymentService
    let queue: JobQueue
    let interval: Duration
    let schedule: ReconcileSchedule
    let pageSize: Int
    let logger: Logger

    func run() async throws {
        await periodically(every: interval, "reconciliation", logger: logger) {
            try await sweep()
        }
    }

    /// One pass over every due payment, a page at a time (``PaymentService/reconcile(queue:schedule:pageSize:now:)``).
    func sweep() async throws {
        let queued = try await service.reconcile(queue: queue, schedule: schedule, pageSize: pageSize)
        if queued > 0 { logger.info("reconciliation queued re-reads of pending payments", metadata: ["count": "\(queued)"]) }
    }
}
