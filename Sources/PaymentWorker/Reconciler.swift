import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Re-reads payments still pending after a while, so a lost webhook still credits: every
/// `interval` it queues a `confirm_payment` job for each payment pending longer than `after`
/// (one job per payment per interval bucket, so many workers do not pile up duplicates).
/// YooKassa cancels unpaid payments itself (`expired_on_confirmation`); the re-read records it.
struct Reconciler: Service {
    let service: PaymentService
    let queue: JobQueue
    let interval: Duration
    let after: Duration
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

    func sweep() async throws {
        let afterSeconds = Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18
        let ids = try await service.pending(createdBefore: Date().addingTimeInterval(-afterSeconds))
        guard !ids.isEmpty else { return }
        let intervalMS = max(1, interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        let bucket = Int64(Date().timeIntervalSince1970 * 1000) / intervalMS
        let jobs = ids.map { id in
            NewJob(kind: "confirm_payment", payload: JSONValue.object([("payment_id", .string(id))]).serialized,
                   maxAttempts: 5, id: "reconcile-\(id)-\(bucket)")
        }
        try await queue.enqueue(jobs, queue: QueueNames.payment)
        logger.info("reconciliation queued re-reads of pending payments", metadata: ["count": "\(ids.count)"])
    }
}
