import Logging
import OzhDomain
import OzhQueue
import ServiceLifecycle

/// Runs ``GenerationReconciler`` every `interval` in the generation worker (any number of
/// workers may run it at once: refunds are exactly-once ledger operations).
struct RefundSweeper: Service {
    let reconciler: GenerationReconciler
    let interval: Duration
    let after: Duration
    let logger: Logger

    func run() async throws {
        try? await reconciler.createIndexes()
        await periodically(every: interval, "refund sweep", logger: logger) {
            try await reconciler.sweep(after: after)
        }
    }
}
