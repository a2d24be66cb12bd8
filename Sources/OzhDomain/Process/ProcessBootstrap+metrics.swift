import Foundation
import Logging
import OzhObservability
import OzhSettings

extension ProcessBootstrap {
    /// The worker's metrics port at `METRICS_HOST`:`METRICS_PORT`, already bound, or nil when
    /// `METRICS_PORT` is 0. A port that cannot be opened stops start-up with one line naming
    /// the setting (exit 2), like a bad setting.
    ///
    /// Put the server first in the worker's `ServiceGroup`: services stop in reverse order, so
    /// `/metrics` and `/health` keep answering while the runtime drains its jobs.
    public static func metricsServer(
        _ name: String, settings: MetricsSettings, readiness: [ReadinessCheck], collectors: [any MetricsCollector] = [], logger: Logger
    ) async -> MetricsServer? {
        await metricsServer(name, settings: settings, readiness: CachedReadiness(checks: readiness), collectors: collectors, logger: logger)
    }

    /// ``metricsServer(_:settings:readiness:collectors:logger:)`` with a shared readiness cache (the gateway's).
    public static func metricsServer(
        _ name: String, settings: MetricsSettings, readiness: CachedReadiness, collectors: [any MetricsCollector] = [], logger: Logger
    ) async -> MetricsServer? {
        guard settings.port != 0 else {
            logger.info("metrics port off (METRICS_PORT=0)")
            return nil
        }
        do {
            return try await MetricsServer.bind(
                host: settings.host, port: settings.port, readiness: readiness,
                collectors: collectors, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error.message)\n".utf8))
            exit(2)
        }
    }
}
