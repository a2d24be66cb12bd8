import Foundation
import OzhQueue
import OzhRedis

// Queue benchmark: N no-op jobs through W ozh-queue-probe worker processes (or, with
// BENCH_MODE=snapshot, the cost of polling a queued job with a short and a long backlog).
// Prints no-op jobs/s by the peers' method (NoopBench), end-to-end jobs/s, enqueue→start latency
// p50/p99 with idle workers, and worker RSS.
// Run with bench/queue.sh (it starts a private redis-server and builds in release mode).
let env = ProcessInfo.processInfo.environment
let redisURL = env["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
let jobs = env["BENCH_JOBS"].flatMap(Int.init) ?? 20_000
let workers = env["BENCH_WORKERS"].flatMap(Int.init) ?? 4
let concurrency = env["BENCH_CONCURRENCY"].flatMap(Int.init) ?? 16
let probes = env["BENCH_LATENCY_PROBES"].flatMap(Int.init) ?? 500
let probePath =
    env["PROBE_BIN"]
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("ozh-queue-probe").path
let prefix = "bench:\(UInt32.random(in: 0...UInt32.max)):"
let queueName = "bench"

let redis = try RedisClient(url: redisURL)
let queue = JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: prefix))

// BENCH_MODE=snapshot: the cost of a queued job's snapshot with 10 vs 100,000 jobs queued (no workers).
if env["BENCH_MODE"] == "snapshot" {
    let backlogs = (env["BENCH_BACKLOGS"] ?? "10,100000").split(separator: ",").compactMap { Int($0) }
    try await snapshotBench(redis: redis, backlogs: backlogs, rounds: env["BENCH_ROUNDS"].flatMap(Int.init) ?? 3200)
    exit(0)
}

func micros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
func rssMiB(_ pid: Int32) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kib / 1024
}

// 0. The peers' method, for the ratio with Celery: no-op jobs queued before the workers start
// (BENCH_NOOP_JOBS, default BENCH_JOBS; 0 skips it). See NoopBench.
let noopJobs = env["BENCH_NOOP_JOBS"].flatMap(Int.init) ?? jobs
let noop = NoopBench(queue: queue, redis: redis, prefix: prefix, queueName: queueName, count: noopJobs)
let noopIDs = try await noop.enqueue()

// Start the workers and wait until every one has sent a heartbeat.
var processes: [Process] = []
for index in 0..<workers {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: probePath)
    process.environment = [
        "REDIS_URL": redisURL, "REDIS_PREFIX": prefix, "OZH_QUEUE": queueName,
        "OZH_CONCURRENCY": String(concurrency), "OZH_WORKER_ID": "bench-\(index)", "LOG_LEVEL": "warning",
    ]
    try process.run()
    processes.append(process)
}
defer { for process in processes { kill(process.processIdentifier, SIGKILL) } }
while try await queue.stats(queue: queueName).liveWorkers.count < workers { try await Task.sleep(for: .milliseconds(50)) }
let noopResult = noopJobs > 0 ? try await noop.measure(noopIDs, within: .seconds(300)) : nil
try await Task.sleep(for: .milliseconds(300))

// 1. Latency with idle workers: one job at a time, the handler stamps when it started.
var latencies: [Double] = []
for _ in 0..<probes {
    let enqueued = micros()
    let id = try await queue.enqueue(.probeStamp, queue: queueName, payload: EmptyJSON(), maxAttempts: 1)
    var started: Int64?
    while started == nil {
        started = try await redis.send("HGET", prefix + "started", id).int
        if started == nil { try await Task.sleep(for: .microseconds(200)) }
    }
    latencies.append(Double(started! - enqueued) / 1000)
    try await Task.sleep(for: .milliseconds(2))
}
latencies.sort()

// 2. Throughput: N jobs enqueued in pipelined batches of 200 by 4 producers; time until every job has run once.
let start = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    let producers = 4, batch = 200
    for producer in 0..<producers {
        group.addTask {
            var first = producer * batch
            while first < jobs {
                let count = min(batch, jobs - first)
                try await queue.enqueue((0..<count).map { _ in try NewJob(.probeCount, payload: ProbeCount(), maxAttempts: 3) }, queue: queueName)
                first += producers * batch
            }
        }
    }
    try await group.waitForAll()
}
let enqueued = ContinuousClock.now - start
var done = 0
while done < jobs {
    done = Int(try await redis.send("HLEN", prefix + "effects").int ?? 0)
    if done < jobs { try await Task.sleep(for: .milliseconds(20)) }
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let enqueueSeconds = Double(enqueued.components.seconds) + Double(enqueued.components.attoseconds) / 1e18
let runs = try await redis.send("HVALS", prefix + "effects").array?.compactMap(\.int) ?? []
let rss = processes.map { rssMiB($0.processIdentifier) }

print("workers \(workers) × concurrency \(concurrency), \(jobs) jobs")
if let noopResult {
    print(
        String(
            format: "no-op jobs      %8.0f jobs/s, the peers' method: %d queued before the workers started, (n-1)/(last - first finish)",
            noopResult.rate, noopJobs))
    print(
        "  each ran once \(noopResult.once ? "yes" : "NO") (\(noopResult.finished) succeeded, max attempts \(noopResult.maxAttempts); from the job records)"
    )
}
print(
    String(
        format: "throughput      %8.0f jobs/s end to end (%.2f s; enqueue alone %.0f jobs/s)", Double(jobs) / seconds, seconds,
        Double(jobs) / enqueueSeconds))
print(
    String(
        format: "enqueue→start   p50 %.2f ms   p99 %.2f ms   max %.2f ms (%d probes, idle workers)",
        percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? 0, latencies.count))
print(
    "exactly once    \(runs.count == jobs && runs.allSatisfy { $0 == 1 } ? "yes" : "NO") (\(runs.count) jobs ran, max runs per job \(runs.max() ?? 0))"
)
print(String(format: "worker RSS      %@ MiB", rss.map { String(format: "%.1f", $0) }.joined(separator: ", ")))

// Clean up the benchmark's keys, in SCAN pages (one KEYS over 200,000 keys outlasts the command
// timeout while the workers still run); the figures are printed before, whatever happens here.
fflush(nil) // every output stream (naming `stdout` is not concurrency-safe in Swift 6)
for process in processes { kill(process.processIdentifier, SIGTERM) }
var cursor = "0"
repeat {
    let page = try await redis.send("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000").array ?? []
    cursor = page.first?.string ?? "0"
    let keys = page.count > 1 ? page[1].array?.compactMap(\.string) ?? [] : []
    if !keys.isEmpty { try await redis.send(["DEL"] + keys) }
} while cursor != "0"
