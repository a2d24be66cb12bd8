import Foundation
import Logging

/// Start-up shared by every executable: settings (a problem is one line on stderr and exit 2),
/// then logging and metrics.
public enum ProcessBootstrap {
    /// Loads and validates settings, bootstraps logging and metrics, and returns settings and a logger.
    public static func start(_ name: String, validate: (Settings) throws(SettingsError) -> Void = { _ throws(SettingsError) in })
        async -> (Settings, Logger)
    {
        let settings = await settings(name) { source throws(SettingsError) in
            let settings = try Settings(source: source)
            // A copied template must not run with its publicly known secrets.
            try settings.refusePlaceholders()
            try validate(settings)
            return settings
        }
        Observability.bootstrapLogging(settings)
        Observability.bootstrapMetrics()
        var logger = Logger(label: name)
        logger[metadataKey: "process"] = "\(name)"
        return (settings, logger)
    }

    /// A process's own settings type read from the environment and the `.env` file, as every
    /// process reads them (``SettingsSource/load(environment:)``): a missing or malformed value
    /// is one line on stderr naming the variable (`<name>: <VARIABLE> is invalid: …`) and exit 2.
    /// The sandbox and the queue probe read theirs with it; the services through ``start(_:validate:)``.
    public static func settings<T>(_ name: String, _ read: (SettingsSource) throws(SettingsError) -> T) async -> T {
        do {
            return try read(try await SettingsSource.load())
        } catch let error as SettingsError {
            FileHandle.standardError.write(Data("\(name): \(error.message)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("\(name): cannot read settings: \(error)\n".utf8))
            exit(2)
        }
    }
}
