import Logging
import OzhQueue
import OzhSettings

/// Everything ozh-queue-probe reads at start, through the one settings reader every process
/// uses (``SettingsSource``): a malformed value stops it with one line naming the variable.
struct ProbeSettings {
    /// `REDIS_URL` (redis://127.0.0.1:6379/0).
    var redisURL = "redis://127.0.0.1:6379/0"
    /// `REDIS_PREFIX` (ozh:).
    var prefix = "ozh:"
    /// `LOG_LEVEL` (info): trace, debug, info, notice, warning, error or critical.
    var logLevel = Logger.Level.info
    /// The queue's keys and timings: `OZH_HEARTBEAT_MS`, `OZH_WORKER_DEAD_AFTER_MS`.
    var queue: JobQueueConfiguration
    /// The runtime: `OZH_QUEUE` (probe), `OZH_CONCURRENCY` (4), `OZH_WORKER_ID`, `OZH_SHUTDOWN_DEADLINE_MS`.
    var runtime: WorkerRuntime.Configuration

    init(source: SettingsSource) throws(SettingsError) {
        redisURL = source.string("REDIS_URL") ?? redisURL
        prefix = source.string("REDIS_PREFIX") ?? prefix
        if let text = source.string("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw .invalid(variable: "LOG_LEVEL", reason: "expected trace, debug, info, notice, warning, error or critical")
            }
            logLevel = level
        }
        queue = JobQueueConfiguration(prefix: prefix)
        if let value = try source.milliseconds("OZH_HEARTBEAT_MS", in: 1...3_600_000) { queue.heartbeatInterval = value }
        if let value = try source.milliseconds("OZH_WORKER_DEAD_AFTER_MS", in: 1...86_400_000) { queue.workerDeadAfter = value }
        runtime = WorkerRuntime.Configuration(
            queue: source.string("OZH_QUEUE") ?? "probe",
            concurrency: try source.int("OZH_CONCURRENCY", default: 4, in: 1...10_000))
        if let id = source.string("OZH_WORKER_ID") { runtime.workerID = id }
        if let value = try source.milliseconds("OZH_SHUTDOWN_DEADLINE_MS", in: 0...3_600_000) { runtime.shutdownDeadline = value }
    }
}
