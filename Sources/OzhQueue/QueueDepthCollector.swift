import OzhObservability

/// `ozh_queue_jobs{queue, state}` (ready, processing, delayed, dead) and
/// `ozh_queue_workers{queue, state}` (live, stale), read from Redis at scrape time.
public struct QueueDepthCollector: MetricsCollector {
    static let jobs = GaugeFamily(
        "ozh_queue_jobs", "Jobs in a queue by state: ready (backlog), processing, delayed (retry or quota wait), dead.",
        labels: ["queue", "state"])
    static let workers = GaugeFamily(
        "ozh_queue_workers", "Workers of a queue by heartbeat: live, or stale (silent, not yet recovered).",
        labels: ["queue", "state"])

    /// The queue client.
    public let queue: JobQueue
    /// The queues to count (default: every queue the services use).
    public let queues: [String]
    public var name: String { "queues" }

    /// Counts `queues` of `queue`.
    public init(queue: JobQueue, queues: [String] = QueueNames.all) {
        self.queue = queue
        self.queues = queues
    }

    public func collect() async throws {
        for name in queues {
            let stats = try await queue.stats(queue: name)
            Self.jobs.with(name, "ready").set(to: Double(stats.ready))
            Self.jobs.with(name, "processing").set(to: Double(stats.processing))
            Self.jobs.with(name, "delayed").set(to: Double(stats.delayed))
            Self.jobs.with(name, "dead").set(to: Double(stats.dead))
            Self.workers.with(name, "live").set(to: Double(stats.liveWorkers.count))
            Self.workers.with(name, "stale").set(to: Double(stats.staleWorkers.count))
        }
    }
}
