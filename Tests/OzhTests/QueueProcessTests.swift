import Foundation
import TestSupport
import Testing

@testable import OzhQueue
@testable import OzhRedis

/// The queue over real `ozh-queue-probe` processes: crashes, load, graceful stops.
@Suite("Job queue processes", .serialized, .needsRedis)
struct QueueProcessTests {
    private func effects(_ redis: RedisClient, _ p: String) async throws -> [String: String] {
        try await redis.send("HGETALL", p + "effects").pairs
    }

    @Test func sigkillMidJobIsRecoveredAndRunsExactlyOnce() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let url = try TestServers.redisURL
        let first = try ProbeWorker(redisURL: url, prefix: p, queue: "probe", concurrency: 1)
        let id = try await queue.enqueue(.probeCount, queue: "probe", payload: ProbeCount(sleepMS: 3000))
        #expect(await eventually(.seconds(10)) { try await queue.job(id: id)?.status == .processing })
        #expect(await first.stop(SIGKILL, within: .seconds(5)))
        let second = try ProbeWorker(redisURL: url, prefix: p, queue: "probe", concurrency: 1)
        let done = await eventually(.seconds(15)) { try await queue.job(id: id)?.status == .succeeded }
        #expect(done, "log: \(second.log)")
        #expect(try await effects(redis, p) == [id: "1"])
        let job = try #require(try await queue.job(id: id))
        #expect(job.attempts == 2 && job.worker != nil)
        #expect(await second.stop())
        let stats = try await queue.stats(queue: "probe")
        #expect(stats.ready == 0 && stats.processing == 0 && stats.dead == 0 && stats.liveWorkers.isEmpty)
    }

    @Test func thousandJobsOverFourProcessesRunExactlyOnce() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let url = try TestServers.redisURL
        let workers = try (0..<4).map { _ in try ProbeWorker(redisURL: url, prefix: p, queue: "load", concurrency: 4) }
        let started = ContinuousClock.now
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for slice in 0..<8 {
                group.addTask {
                    var ids: [String] = []
                    for _ in 0..<125 { ids.append(try await queue.enqueue(.probeCount, queue: "load", payload: ProbeCount(sleepMS: 0))) }
                    _ = slice
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(ids).count == 1000)
        // The probe's `fail` kind retries with backoff through the delayed set, then goes dead.
        var failing: [String] = []
        for _ in 0..<5 { failing.append(try await queue.enqueue(.probeFail, queue: "load", payload: EmptyJSON(), maxAttempts: 3)) }
        let drained = await eventually(.seconds(40)) { try await redis.send("HLEN", p + "effects").int == 1000 }
        let elapsed = ContinuousClock.now - started
        #expect(drained, "logs: \(workers.map(\.log))")
        let counts = try await effects(redis, p)
        #expect(counts.count == 1000 && counts.values.allSatisfy { $0 == "1" })
        #expect(Set(counts.keys) == Set(ids))
        #expect(
            await eventually(.seconds(5)) {
                let statuses = try await redis.pipeline(ids.map { ["HGET", p + "job:" + $0, "status"] })
                return statuses.allSatisfy { $0.string == "succeeded" }
            })
        #expect(await eventually(.seconds(10)) { try await queue.stats(queue: "load").dead == 5 })
        for id in failing {
            let job = try #require(try await queue.job(id: id))
            #expect(job.status == .failed && job.attempts == 3 && job.error?.code == "probe_failure")
        }
        for worker in workers { #expect(await worker.stop()) }
        let stats = try await queue.stats(queue: "load")
        #expect(stats.ready == 0 && stats.processing == 0 && stats.delayed == 0 && stats.dead == 5)
        print("queue load: 1000 jobs over 4 probe processes × 4 consumers in \(elapsed)")
    }

    @Test func sigtermDrainsWithoutLossOrFailure() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let url = try TestServers.redisURL
        // a gives up on its jobs after 300 ms, b has time to finish them.
        let a = try ProbeWorker(redisURL: url, prefix: p, queue: "drain", concurrency: 2, extra: ["OZH_SHUTDOWN_DEADLINE_MS": "300"])
        let b = try ProbeWorker(redisURL: url, prefix: p, queue: "drain", concurrency: 2, extra: ["OZH_SHUTDOWN_DEADLINE_MS": "10000"])
        var ids: [String] = []
        for _ in 0..<6 { ids.append(try await queue.enqueue(.probeCount, queue: "drain", payload: ProbeCount(sleepMS: 1500))) }
        #expect(await eventually(.seconds(10)) { try await queue.stats(queue: "drain").processing == 4 })
        let stopping = ContinuousClock.now
        kill(a.pid, SIGTERM)
        kill(b.pid, SIGTERM)
        #expect(await a.stop(within: .seconds(5)), "log: \(a.log)")
        #expect(await b.stop(within: .seconds(5)), "log: \(b.log)")
        #expect(ContinuousClock.now - stopping < .seconds(4))
        var statuses: [JobStatus] = []
        for id in ids { statuses.append(try #require(try await queue.job(id: id)).status) }
        #expect(!statuses.contains(.failed) && !statuses.contains(.processing) && !statuses.contains(.retrying))
        #expect(statuses.filter { $0 == .succeeded }.count == 2) // b's two in-flight jobs
        let stats = try await queue.stats(queue: "drain")
        #expect(stats.ready == 4 && stats.processing == 0 && stats.liveWorkers.isEmpty && stats.staleWorkers.isEmpty)
        // A fresh worker finishes the rest; every job ran once and no released run was counted.
        let c = try ProbeWorker(redisURL: url, prefix: p, queue: "drain", concurrency: 4)
        #expect(await eventually(.seconds(10)) { try await redis.send("HLEN", p + "effects").int == 6 })
        #expect(
            await eventually(.seconds(3)) {
                for id in ids where try await queue.job(id: id)?.status != .succeeded { return false }
                return true
            })
        #expect(try await effects(redis, p).values.allSatisfy { $0 == "1" })
        for id in ids { #expect(try await queue.job(id: id)?.attempts == 1) }
        #expect(await c.stop())
    }
}
