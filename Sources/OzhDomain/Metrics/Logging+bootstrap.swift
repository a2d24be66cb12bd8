import Logging
import OzhObservability

/// Process-wide logging set-up shared by every executable.
extension Observability {
    /// Sends logs to stderr at `settings.level` (`LOG_LEVEL`), or nowhere when `LOGGING_ENABLED` is false.
    /// Call once, first thing in `main`.
    public static func bootstrapLogging(_ settings: LogSettings) {
        let level = settings.level
        let enabled = settings.enabled
        LoggingSystem.bootstrap { label in
            guard enabled else { return SwiftLogNoOpLogHandler() }
            var handler = DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }
}
