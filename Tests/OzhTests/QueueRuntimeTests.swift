import Foundation
import Logging
import TestSupport
import Testing

@testable import OzhQueue

@Suite("Worker runtime", .needsRedis)
struct QueueRuntimeTests {
    struct Boom: Error {}

    private func start(_ runtime: WorkerRuntime) -> Task<Void, Error> {
        Task { try await runtime.run() }
    }

    private func stop(_ runtime: WorkerRuntime, _ task: Task<Void, Error>, within limit: Duration) async -> Bool {
        runtime.stop()
        let finished = ShutdownSignal()
        Task {
            _ = try? await task.value; finished.trigger()
        }
        return await finished.sleep(for: limit)
    }

    @Test func handlerOutcomesBecomeJobStates() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let runtime = WorkerRuntime(
            queue: queue, configuration: .init(queue: "rt", workerID: "rt-w", concurrency: 3),
            logger: Logger(label: "test"))
        runtime.register(kind: "ok") { context in
            try await context.reportProgress(#"{"step":1}"#)
            return #"{"kind":"\#(context.job.kind)"}"#
        }
        runtime.register(kind: "bad") { _ in throw JobFailure(code: "bad_drawing", message: "not an image", retryable: false) }
        runtime.register(kind: "wait") { _ in throw JobPostpone(for: .seconds(30), reason: "quota spent") }
        runtime.register(kind: "slow", policy: RetryPolicy(maxAttempts: 1, timeout: .milliseconds(200))) { _ in
            try await Task.sleep(for: .seconds(10))
            return "{}"
        }
        // The backoff is full jitter (uniform in 0...ceiling): with a 60 s ceiling the retry came
        // within the test's few seconds about once in 60 runs (seen in CI-like runs: 253 ms). With
        // a ceiling of ~3 years the chance of a retry within 10 s is 1e-7.
        runtime.register(
            kind: "boom", policy: RetryPolicy(maxAttempts: 2, baseDelay: .seconds(100_000_000), maxDelay: .seconds(100_000_000))
        ) { _ in throw Boom() }
        var ids: [String: String] = [:]
        for kind in ["ok", "bad", "wait", "slow", "boom", "unknown"] {
            ids[kind] = try await queue.enqueue(kind: kind, queue: "rt")
        }
        let task = start(runtime)
        let settled = await eventually(.seconds(10)) {
            var states: [JobStatus] = []
            for id in ids.values { states.append(try await queue.job(id: id)?.status ?? .queued) }
            return states.allSatisfy { $0 == .succeeded || $0 == .failed || $0 == .retrying }
        }
        #expect(settled)
        #expect(await stop(runtime, task, within: .seconds(5)))

        let ok = try #require(try await queue.job(id: ids["ok"]!))
        #expect(ok.status == .succeeded && ok.result == #"{"kind":"ok"}"# && ok.progress == #"{"step":1}"#)
        let bad = try #require(try await queue.job(id: ids["bad"]!))
        #expect(bad.status == .failed && bad.error == JobError(code: "bad_drawing", message: "not an image"))
        let wait = try #require(try await queue.job(id: ids["wait"]!))
        #expect(wait.status == .retrying && wait.attempts == 0 && wait.error?.code == "postponed")
        #expect((wait.runAt?.timeIntervalSinceNow ?? 0) > 20)
        let slow = try #require(try await queue.job(id: ids["slow"]!))
        #expect(slow.status == .failed && slow.error?.code == "timeout")
        let boom = try #require(try await queue.job(id: ids["boom"]!))
        #expect(boom.status == .retrying && boom.attempts == 1 && boom.error?.code == "internal_error")
        #expect(try await queue.job(id: ids["unknown"]!)?.error?.code == "unknown_job_kind")
        #expect(try await redis.send("ZSCORE", p + "workers:rt", "rt-w") == .null) // retired
    }

    @Test func gracefulStopReleasesUnfinishedJobs() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let runtime = WorkerRuntime(
            queue: queue, configuration: .init(queue: "rt", workerID: "rt-s", concurrency: 3, shutdownDeadline: .milliseconds(300)),
            logger: Logger(label: "test"))
        runtime.register(kind: "quick") { _ in
            try await Task.sleep(for: .milliseconds(100))
            return "{}"
        }
        runtime.register(kind: "hang") { _ in
            try await Task.sleep(for: .seconds(30))
            return "{}"
        }
        runtime.register(kind: "stubborn") { _ in // ignores cancellation for 2 s
            for _ in 0..<40 { try? await Task.sleep(for: .milliseconds(50)) }
            return "{}"
        }
        let hang = try await queue.enqueue(kind: "hang", queue: "rt")
        let stubborn = try await queue.enqueue(kind: "stubborn", queue: "rt")
        let task = start(runtime)
        #expect(await eventually(.seconds(5)) { try await queue.stats(queue: "rt").processing == 2 })
        let quick = try await queue.enqueue(kind: "quick", queue: "rt")
        #expect(await eventually(.seconds(5)) { try await queue.job(id: quick)?.status == .processing })
        let started = ContinuousClock.now
        #expect(await stop(runtime, task, within: .seconds(3)))
        #expect(ContinuousClock.now - started < .milliseconds(1500))
        #expect(try await queue.job(id: quick)?.status == .succeeded) // finished within the deadline
        for id in [hang, stubborn] {
            let job = try #require(try await queue.job(id: id))
            #expect(job.status == .queued && job.attempts == 0)
        }
        #expect(try await redis.send("LRANGE", p + "queue:rt", "0", "-1").array?.compactMap(\.string).sorted() == [hang, stubborn].sorted())
        #expect(try await redis.send("EXISTS", p + "processing:rt:rt-s").int == 0)
        #expect(try await redis.send("ZSCORE", p + "workers:rt", "rt-s") == .null)
    }
}
