import Foundation
import OzhQueue
import OzhSupport

extension PaymentService {
    /// One reconciliation pass: pages through every pending payment whose `next_check_at` has
    /// come (``duePayments(now:legacyAfter:afterID:limit:)``, `pageSize` at a time) and queues on
    /// `queue` one `confirm_payment` job per payment, `reconcile-<id>-<n>` for its n-th re-read,
    /// on `schedule`. A payment whose previous re-read is still queued, running or retrying gets
    /// no new one. Returns how many re-reads were recorded as queued.
    public func reconcile(queue: JobQueue, schedule: ReconcileSchedule, pageSize: Int, now: Date = Date.nowMillis) async throws -> Int {
        var afterID: String?
        var queued = 0
        while true {
            let page = try await duePayments(now: now, legacyAfter: schedule.after, afterID: afterID, limit: pageSize)
            queued += try await queueNext(page, queue: queue, schedule: schedule, now: now)
            guard page.count == pageSize, let last = page.last else { break }
            afterID = last.id
        }
        return queued
    }

    /// Queues the next re-read of each payment in `page` whose previous one has finished, then
    /// records it and its successor's time. Queueing first is safe: the job id is fixed per re-read.
    /// A few round trips per page: one pipeline for the previous jobs, one for the new ones, one
    /// update per group of payments on the same step.
    private func queueNext(_ page: [DuePayment], queue: JobQueue, schedule: ReconcileSchedule, now: Date) async throws -> Int {
        let previous = try await queue.statuses(ids: page.filter { $0.checks > 0 }.map { DuePayment.jobID($0.id, check: $0.checks) })
        let ready = page.filter { payment in
            payment.checks == 0 || previous[DuePayment.jobID(payment.id, check: payment.checks)]?.isFinal ?? true
        }
        try await queue.enqueue(
            try ready.map { payment in
                try NewJob(
                    .confirmPayment, payload: PaymentConfirmation(paymentID: payment.id, source: "reconcile"),
                    maxAttempts: 5, id: DuePayment.jobID(payment.id, check: payment.checks + 1))
            }, queue: QueueNames.payment)
        return try await claimChecks(
            ready.map { payment in
                (payment, schedule.nextCheck(afterCheck: payment.checks + 1, createdAt: payment.createdAt, now: now))
            }, now: now)
    }
}
