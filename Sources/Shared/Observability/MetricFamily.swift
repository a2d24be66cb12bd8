import Prometheus

/// A counter declared once — name, help text and label names in a fixed order — so every
/// use site produces the same series in ``Observability/metricsRegistry``.
struct CounterFamily: Sendable {
    let name: String
    let help: String
    let labelNames: [String]

    init(_ name: String, _ help: String, labels: [String]) {
        self.name = name
        self.help = help
        labelNames = labels
    }

    /// The counter with these label values (in ``labelNames`` order), created at 0 if new.
    func with(_ values: String...) -> Counter {
        Observability.metricsRegistry.makeCounter(descriptor: descriptor(name, help), labels: pairs(labelNames, values))
    }
}

/// A gauge declared once (see ``CounterFamily``).
struct GaugeFamily: Sendable {
    let name: String
    let help: String
    let labelNames: [String]

    init(_ name: String, _ help: String, labels: [String]) {
        self.name = name
        self.help = help
        labelNames = labels
    }

    /// The gauge with these label values (in ``labelNames`` order), created at 0 if new.
    func with(_ values: String...) -> Gauge {
        Observability.metricsRegistry.makeGauge(descriptor: descriptor(name, help), labels: pairs(labelNames, values))
    }
}

/// A histogram of durations, exposed in seconds, declared once (see ``CounterFamily``).
struct DurationHistogramFamily: Sendable {
    let name: String
    let help: String
    let labelNames: [String]
    let buckets: [Duration]

    init(_ name: String, _ help: String, labels: [String], buckets: [Duration]) {
        self.name = name
        self.help = help
        labelNames = labels
        self.buckets = buckets
    }

    /// The histogram with these label values (in ``labelNames`` order).
    func with(_ values: String...) -> DurationHistogram {
        Observability.metricsRegistry.makeDurationHistogram(descriptor: descriptor(name, help), labels: pairs(labelNames, values),
                                                            buckets: buckets)
    }
}

/// The full name is given as is: `ozh_<what>_<unit>`.
private func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
}

private func pairs(_ names: [String], _ values: [String]) -> [(String, String)] {
    precondition(names.count == values.count, "a metric needs one value per label")
    return Array(zip(names, values))
}
