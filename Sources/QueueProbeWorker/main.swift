import Foundation
import Logging
import OzhObservability
import OzhQueue
import OzhRedis
import OzhSettings
import ServiceLifecycle

// ozh-queue-probe: a WorkerRuntime with two test kinds, for the queue's process tests and benchmarks.
//   count: sleeps payload.sleep_ms, then HINCRBY <prefix>effects <job id> 1 (counts runs per job)
//   stamp: records the µs it started at in HSET <prefix>started <job id> (latency benchmark)
//   fail:  always throws a retryable JobFailure
//   noop:  does nothing (the peers' no-op task: the queue's own cost, compared with Celery's)
// Settings: ProbeSettings (REDIS_URL, REDIS_PREFIX, OZH_QUEUE, OZH_CONCURRENCY, OZH_WORKER_ID,
// OZH_HEARTBEAT_MS, OZH_WORKER_DEAD_AFTER_MS, OZH_SHUTDOWN_DEADLINE_MS, LOG_LEVEL).
// Read as every process reads its settings (ProbeSettings): a malformed value is one line
// naming the variable, and exit 2.
let settings = await ProcessBootstrap.settings("ozh-queue-probe") { source throws(SettingsError) in try ProbeSettings(source: source) }
// As the real workers log (Observability.bootstrapLogging): metadata is rendered when a line is
// written, not each time a job's logger gets its job id.
LoggingSystem.bootstrap { label in
    var handler = DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
    handler.logLevel = settings.logLevel
    return handler
}
let logger = Logger(label: "ozh-queue-probe")

let redis = try RedisClient(url: settings.redisURL)
let prefix = settings.prefix
let runtime = WorkerRuntime(
    queue: JobQueue(redis: redis, configuration: settings.queue),
    configuration: settings.runtime, logger: logger)

// The kinds are declared in OzhQueue (ProbeJobs.swift): the tests and the benchmark queue them.
runtime.register(.probeCount, policy: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), timeout: .seconds(60))) { context, payload in
    // The benchmark's jobs carry "{}": the kind reads them without a decoder (a JSONDecoder per job is the probe's cost, not the queue's).
    if let sleep = payload.sleepMS, sleep > 0 { try await Task.sleep(for: .milliseconds(sleep)) }
    try await redis.send("HINCRBY", prefix + "effects", context.job.id, "1")
    return ProbeOK()
}
// stamp: records when the handler started (µs since the epoch), for the latency benchmark.
runtime.register(.probeStamp, policy: RetryPolicy(maxAttempts: 1)) { context, _ in
    let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
    try await redis.send("HSET", prefix + "started", context.job.id, String(now))
    return EmptyJSON()
}
// noop: Celery's and RQ's benchmark task does no I/O; neither does this one. Whether each job ran
// once is read from the queue's own records (status and attempts), not from a side effect.
runtime.register(.probeNoop, policy: RetryPolicy(maxAttempts: 3)) { _, _ in EmptyJSON() }
runtime.register(.probeFail, policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(50), maxDelay: .milliseconds(200))) { _, _ in
    throw JobFailure(code: "probe_failure", message: "the fail kind always fails", retryable: true)
}

let group = ServiceGroup(
    configuration: .init(
        services: [.init(service: runtime)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
