import Logging
import OzhSettings

/// Where a process's logs go and how much of them.
public struct LogSettings: Sendable, Equatable {
    /// `LOGGING_ENABLED` (default true): false sends the logs nowhere.
    public var enabled: Bool
    /// `LOG_LEVEL` (default `info`): trace, debug, info, notice, warning, error or critical.
    public var level: Logger.Level

    /// Reads and validates `LOGGING_ENABLED` and `LOG_LEVEL` from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        enabled = try source.bool("LOGGING_ENABLED", default: true)
        guard let level = Logger.Level(rawValue: source.string("LOG_LEVEL")?.lowercased() ?? "info") else {
            throw .invalid(variable: "LOG_LEVEL", reason: "expected trace, debug, info, notice, warning, error or critical")
        }
        self.level = level
    }
}
