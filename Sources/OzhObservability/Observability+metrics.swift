import Metrics
import Prometheus

extension Observability {
    /// The process's one Prometheus registry: every `ozh_` metric, and anything a library
    /// records through swift-metrics (``bootstrapMetrics()`` points swift-metrics at it).
    ///
    /// A `static let` is initialised exactly once per process, so swift-metrics is bootstrapped
    /// once even when tests build many gateways and workers in one process.
    public static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Bootstraps swift-metrics over ``metricsRegistry``. Any number of calls is safe; call it
    /// at start-up (``ProcessBootstrap/start(_:validate:)`` does) so no library metric is lost.
    public static func bootstrapMetrics() {
        _ = metricsRegistry
    }

    /// The `Content-Type` of ``renderMetrics()``: Prometheus text exposition 0.0.4.
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Every metric of this process in the Prometheus text format.
    public static func renderMetrics() -> [UInt8] {
        metricsRegistry.emitToBuffer()
    }
}
