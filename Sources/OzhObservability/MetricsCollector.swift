import Logging

/// Sets scrape-time gauges (queue depth, quota headroom, pending payments) from their source
/// right before `/metrics` is rendered.
public protocol MetricsCollector: Sendable {
    /// A short stable name, the `collector` label of `ozh_metrics_collector_up`.
    var name: String { get }
    /// Reads the source and sets the gauges; throws when the source cannot be read.
    func collect() async throws
}

/// Runs collectors before a scrape.
public enum MetricsCollection {
    static let up = GaugeFamily(
        "ozh_metrics_collector_up", "1 when the scrape-time collector read its source at the last scrape, else 0.",
        labels: ["collector"])

    /// Runs every collector concurrently. A collector that fails keeps its previous values,
    /// sets `ozh_metrics_collector_up{collector}` to 0 and logs a warning; the scrape goes on.
    public static func collect(_ collectors: [any MetricsCollector], logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            for collector in collectors {
                group.addTask {
                    do {
                        try await collector.collect()
                        up.with(collector.name).set(to: 1)
                    } catch {
                        up.with(collector.name).set(to: 0)
                        logger.warning("metrics collector failed", metadata: ["collector": "\(collector.name)", "error": "\(error)"])
                    }
                }
            }
        }
    }
}
