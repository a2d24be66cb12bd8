import Logging
import OzhDomain
import OzhQueue
import ServiceLifecycle

/// Runs ``GenerationService/sweep(after:now:pageSize:)`` every `interval` in the generation worker
/// (any number of workers may run it at once: refunds are exactly-once ledger operations).
struct RefundSweeper: Service {
    let service: GenerationService
    let interval: Duration
    let after: Duration
    let logger: Logger

    func run() async throws {
        try? await service.createSweepIndexes()
        await periodically(every: interval, "refund sweep", logger: logger) {
            try await service.sweep(after: after)
        }
    }
}
