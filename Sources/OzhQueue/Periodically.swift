import Logging
import ServiceLifecycle

/// Runs `pass` now and then every `interval` until graceful shutdown (or cancellation): the loop
/// of the workers' periodic services (sweeps, reconciliation, audit, keyring publishing). A pass
/// that throws is logged as `"<what> failed; will try again"` and the next one runs on schedule;
/// a pass in progress at shutdown is cancelled.
public func periodically(
    every interval: Duration, _ what: String, logger: Logger, _ pass: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await pass()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("\(what) failed; will try again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
