/// The process's observability: its one metrics registry (``metricsRegistry``) and, in the
/// domain, the logging set-up from settings (`bootstrapLogging(_:)`).
public enum Observability {}
