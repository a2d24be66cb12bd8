import Prometheus
import Synchronization

/// A metric declared once — name, help text and label names in a fixed order — so every use
/// site produces the same series in ``Observability/metricsRegistry``.
package struct MetricFamily<Metric: Sendable>: Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    private let make: @Sendable (MetricNameDescriptor, [(String, String)]) -> Metric
    /// Series already made, by label values: a job's outcome is recorded per job, and asking the
    /// registry each time (a lock, the name and labels hashed, a dictionary walk) was about 2% of
    /// a no-op job's CPU. Nothing is ever unregistered, so a handle stays the registry's series.
    private let made = MadeSeries<Metric>()

    fileprivate init(
        _ name: String, _ help: String, labels: [String],
        make: @escaping @Sendable (MetricNameDescriptor, [(String, String)]) -> Metric
    ) {
        self.name = name
        self.help = help
        labelNames = labels
        self.make = make
    }

    /// The metric with these label values (in ``labelNames`` order), created at 0 if new.
    package func with(_ values: String...) -> Metric {
        precondition(labelNames.count == values.count, "a metric needs one value per label")
        if let metric = made.series.withLock({ $0[values] }) { return metric }
        // The full name is given as is: `ozh_<what>_<unit>`.
        let metric = make(MetricNameDescriptor(metricName: name, unitName: "", helpText: help), Array(zip(labelNames, values)))
        made.series.withLock { $0[values] = metric }
        return metric
    }
}

/// The series a ``MetricFamily`` has made (a class: a `Mutex` cannot be copied with the struct).
private final class MadeSeries<Metric: Sendable>: Sendable {
    let series = Mutex<[[String]: Metric]>([:])
}

/// A counter family.
package typealias CounterFamily = MetricFamily<Counter>
/// A gauge family.
package typealias GaugeFamily = MetricFamily<Gauge>
/// A family of histograms of durations, exposed in seconds.
package typealias DurationHistogramFamily = MetricFamily<DurationHistogram>

extension MetricFamily where Metric == Counter {
    package init(_ name: String, _ help: String, labels: [String]) {
        self.init(name, help, labels: labels) { Observability.metricsRegistry.makeCounter(descriptor: $0, labels: $1) }
    }
}

extension MetricFamily where Metric == Gauge {
    package init(_ name: String, _ help: String, labels: [String]) {
        self.init(name, help, labels: labels) { Observability.metricsRegistry.makeGauge(descriptor: $0, labels: $1) }
    }
}

extension MetricFamily where Metric == DurationHistogram {
    package init(_ name: String, _ help: String, labels: [String], buckets: [Duration]) {
        self.init(name, help, labels: labels) {
            Observability.metricsRegistry.makeDurationHistogram(descriptor: $0, labels: $1, buckets: buckets)
        }
    }
}
