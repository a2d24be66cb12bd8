import OzhSettings

/// Where a process serves `/metrics`, `/health` and `/ready` (``ProcessBootstrap/metricsServer(_:settings:readiness:collectors:logger:)``).
public struct MetricsSettings: Sendable, Equatable {
    /// `METRICS_HOST` (default `0.0.0.0`) and `METRICS_PORT` (default 9091; 0 turns it off).
    public var host: String
    public var port: Int

    /// Reads and validates `METRICS_HOST` and `METRICS_PORT` from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        host = source.string("METRICS_HOST") ?? "0.0.0.0"
        port = try source.int("METRICS_PORT", default: 9091, in: 0...65535)
    }
}
