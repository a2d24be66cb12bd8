import Foundation
import Logging
import OzhObservability
import OzhSettings

extension ProcessBootstrap {
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
        Observability.bootstrapLogging(settings.logging)
        Observability.bootstrapMetrics()
        var logger = Logger(label: name)
        logger[metadataKey: "process"] = "\(name)"
        return (settings, logger)
    }
}
