import Foundation
import Logging
import OzhDomain
import OzhQueue
import ServiceLifecycle

/// Deletes generations older than `IMAGE_RETENTION_DAYS` every `interval`, off the request
/// path (``GenerationStore/expire(before:now:pageSize:)``). Any number of workers may run it
/// at once: every deletion is idempotent. With 0 days it does nothing.
struct RetentionSweeper: Service {
    let store: GenerationStore
    let days: Int
    let interval: Duration
    let logger: Logger

    func run() async throws {
        guard days > 0 else {
            // Keep for ever: nothing to do, but a service that returns would stop the group.
            try? await gracefulShutdown()
            return
        }
        do {
            try await store.createRetentionIndexes()
        } catch {
            logger.warning("could not create the retention indexes yet", metadata: ["error": "\(error)"])
        }
        await periodically(every: interval, "retention pass", logger: logger) {
            let now = Date()
            let report = try await store.expire(before: now.addingTimeInterval(-Double(days) * 86_400), now: now)
            if !report.isEmpty {
                logger.info(
                    "retention removed old generations",
                    metadata: [
                        "records": "\(report.records)", "files": "\(report.files)", "kept_unsettled": "\(report.keptUnsettled)",
                    ])
            }
        }
    }
}
