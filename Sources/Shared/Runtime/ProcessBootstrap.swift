import Foundation
import Logging

/// Start-up shared by every executable: settings (a problem is one line on stderr and exit 2),
/// then logging and metrics.
public enum ProcessBootstrap {
    /// Loads and validates settings, bootstraps logging and metrics, and returns settings and a logger.
    public static func start(_ name: String, validate: (Settings) throws(SettingsError) -> Void = { _ throws(SettingsError) in })
        async -> (Settings, Logger)
    {
        do {
            let settings = try Settings(source: try await SettingsSource.load())
            // A copied template must not run with its publicly known secrets.
            try settings.refusePlaceholders()
            try validate(settings)
            Observability.bootstrapLogging(settings)
            Observability.bootstrapMetrics()
            var logger = Logger(label: name)
            logger[metadataKey: "process"] = "\(name)"
            return (settings, logger)
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("\(name): \(error.message)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("\(name): cannot read settings: \(error)\n".utf8))
            exit(2)
        }
    }
}
