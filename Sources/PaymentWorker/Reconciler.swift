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

    /// One pass over every due payment, a page at a time.
    func sweep() async throws {
        let now = Date.nowMillis
        var afterID: String?
        var queued = 0
        while true {
            let page = try await service.duePayments(now: now, legacyAfter: schedule.after, afterID: afterID, limit: pageSize)
            queued += try await queueNext(page, now: now)
            guard page.count == pageSize, let last = page.last else { break }
            afterID = last.id
        }
        if queued > 0 { logger.info("reconciliation queued re-reads of pending payments", metadata: ["count": "\(queued)"]) }
    }

    /// Queues the next re-read of each payment in `page` whose previous one has finished, then
    /// records it and its successor's time. Queueing first is safe: the job id is fixed per re-read.
    /// A few round trips per page: one pipeline for the previous jobs, one for the new ones, one
    /// update per group of payments on the same step.
    private func queueNext(_ page: [DuePayment], now: Date) async throws -> Int {
        let previous = try await queue.statuses(ids: page.filter { $0.checks > 0 }.map { DuePayment.jobID($0.id, check: $0.checks) })
        let ready = page.filter { payment in
            payment.checks == 0 || previous[DuePayment.jobID(payment.id, check: payment.checks)]?.isFinal ?? true
        }
        try await queue.enqueue(try ready.map { payment in
            try NewJob(.confirmPayment, payload: PaymentConfirmation(paymentID: payment.id, source: "reconcile"),
                       maxAttempts: 5, id: DuePayment.jobID(payment.id, check: payment.checks + 1))
        }, queue: QueueNames.payment)
        return try await service.claimChecks(ready.map { payment in
            (payment, schedule.nextCheck(afterCheck: payment.checks + 1, createdAt: payment.createdAt, now: now))
        }, now: now)
    }
}
