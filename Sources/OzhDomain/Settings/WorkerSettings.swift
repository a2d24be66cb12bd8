import OzhQueue
import OzhSettings

/// How a worker process runs its jobs: concurrency, heartbeats, shutdown.
public struct WorkerSettings: Sendable, Equatable {
    /// `WORKER_CONCURRENCY`: jobs one worker process runs at once (default 4).
    public var concurrency: Int
    /// How often a worker heart-beats (`WORKER_HEARTBEAT_MS`, default 2000).
    public var heartbeatMS: Int
    /// A worker silent this long is presumed dead and its jobs recovered (`WORKER_DEAD_AFTER_MS`,
    /// default 15000, at least 3 heartbeats).
    public var deadAfterMS: Int
    /// How long in-flight jobs may run on after SIGTERM before they are given back
    /// (`WORKER_SHUTDOWN_DEADLINE_MS`, default 25000; keep it below the orchestrator's grace period).
    public var shutdownDeadlineMS: Int

    /// The job queue's settings under the key prefix `prefix` (`REDIS_PREFIX`).
    public func queueConfiguration(prefix: String) -> JobQueueConfiguration {
        JobQueueConfiguration(prefix: prefix, heartbeatInterval: .milliseconds(heartbeatMS), workerDeadAfter: .milliseconds(deadAfterMS))
    }

    /// Reads and validates the worker settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        heartbeatMS = try source.int("WORKER_HEARTBEAT_MS", default: 2_000, in: 50...60_000)
        deadAfterMS = try source.int("WORKER_DEAD_AFTER_MS", default: 15_000, in: 150...600_000)
        shutdownDeadlineMS = try source.int("WORKER_SHUTDOWN_DEADLINE_MS", default: 25_000, in: 0...600_000)
        guard deadAfterMS >= 3 * heartbeatMS else {
            throw .invalid(variable: "WORKER_DEAD_AFTER_MS", reason: "must be at least 3 × WORKER_HEARTBEAT_MS")
        }
        concurrency = try source.int("WORKER_CONCURRENCY", default: 4, in: 1...256)
    }
}
