import Foundation
import Logging
import ServiceLifecycle
import Shared

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
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sweep()
                } catch {
                    logger.warning("reconciliation failed; will try again", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
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
    private func queueNext(_ page: [DuePayment], now: Date) async throws -> Int {
        var ready: [DuePayment] = []
        for payment in page {
            if payment.checks > 0, let previous = try await queue.job(id: DuePayment.jobID(payment.id, check: payment.checks)),
               !previous.status.isFinal {
                continue
            }
            ready.append(payment)
        }
        try await queue.enqueue(ready.map { payment in
            NewJob(kind: "confirm_payment",
                   payload: JSONValue.object([("payment_id", .string(payment.id)), ("source", .string("reconcile"))]).serialized,
                   maxAttempts: 5, id: DuePayment.jobID(payment.id, check: payment.checks + 1))
        }, queue: QueueNames.payment)
        var claimed = 0
        for payment in ready {
            let next = schedule.nextCheck(afterCheck: payment.checks + 1, createdAt: payment.createdAt, now: now)
            if try await service.claimCheck(payment, next: next, now: now) { claimed += 1 }
        }
        return claimed
    }
}
