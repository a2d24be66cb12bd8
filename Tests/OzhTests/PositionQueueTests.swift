import Foundation
import TestSupport
import Testing

@testable import OzhQueue
@testable import OzhRedis

@Suite("Job queue: positions from tickets")
struct PositionQueueTests {
    /// Every queued id in the list with how many are ahead of it, read by LRANGE (the truth).
    private func line(_ redis: RedisClient, _ p: String) async throws -> [(id: String, ahead: Int)] {
        let ids = try await redis.send("LRANGE", p + "queue:q", "0", "-1").array?.compactMap(\.string) ?? []
        return ids.reversed().enumerated().map { ($0.element, $0.offset) }
    }

    /// Asserts that snapshot and queuePosition give every job in line its exact place.
    private func expectExact(_ queue: JobQueue, _ redis: RedisClient, _ p: String, _ note: Comment) async throws {
        let truth = try await line(redis, p)
        for (id, ahead) in truth {
            #expect(try await queue.snapshot(id: id)?.queuePosition == ahead, note)
            #expect(try await queue.queuePosition(id: id, queue: "q") == ahead, note)
        }
    }

    /// Asserts that every job in line has a position in 0 ..< LLEN.
    private func expectBounded(_ queue: JobQueue, _ redis: RedisClient, _ p: String, _ note: Comment) async throws {
        let truth = try await line(redis, p)
        for (id, _) in truth {
            let position = try #require(try await queue.snapshot(id: id)?.queuePosition, note)
            #expect(position >= 0 && position < truth.count, note)
        }
    }

    @Test(.needsRedis) func exactUnderFIFOEnqueueAndTake() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        var ids: [String] = []
        for _ in 0..<5 { ids.append(try await queue.enqueue(kind: "k", queue: "q")) }
        ids += try await queue.enqueue((0..<20).map { _ in NewJob(kind: "k") }, queue: "q")
        for (index, id) in ids.enumerated() { #expect(try await queue.snapshot(id: id)?.queuePosition == index) }
        // Takes by every path: the non-blocking take, BLMOVE + mark, a completion that takes.
        guard case .job(let first) = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        let second = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        let third = try await queue.complete(first, worker: "w", result: "{}", thenTakeFrom: "q")
        #expect([first.id, second.id] == Array(ids.prefix(2)))
        guard case .job(let thirdJob)? = third.next else { Issue.record("no job"); return }
        #expect(thirdJob.id == ids[2])
        for (index, id) in ids.enumerated().dropFirst(3) { #expect(try await queue.snapshot(id: id)?.queuePosition == index - 3) }
        #expect(try await queue.snapshot(id: first.id)?.queuePosition == nil) // succeeded
        #expect(try await queue.snapshot(id: second.id)?.queuePosition == nil) // processing
        ids.append(try await queue.enqueue(kind: "k", queue: "q"))
        try await expectExact(queue, redis, p, "after more enqueues")
        #expect(try await queue.snapshot(id: ids.last!)?.queuePosition == ids.count - 4)
    }

    @Test(.needsRedis) func exactAfterPushesToTheFrontAndBack() async throws {
        let (queue, redis, p) = try makeTestQueue(workerDeadAfter: .seconds(5), heartbeatInterval: recovererBeat)
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let ids = try await queue.enqueue((0..<8).map { _ in NewJob(kind: "k", maxAttempts: 3) }, queue: "q")
        try await queue.heartbeat(queue: "q", worker: "alive")
        try await queue.heartbeat(queue: "q", worker: "dead")
        // Release at shutdown: back to the front.
        let released = try #require(try await queue.reserve(queue: "q", worker: "alive", timeout: .seconds(1)))
        #expect(try await queue.release(released, worker: "alive"))
        try await expectExact(queue, redis, p, "after release")
        #expect(try await queue.snapshot(id: released.id)?.queuePosition == 0)
        // Recovery of a dead worker's two jobs: to the front, the oldest next.
        guard case .job(let lostA) = try await queue.take(queue: "q", worker: "dead"),
            case .job(let lostB) = try await queue.take(queue: "q", worker: "dead")
        else { Issue.record("no job"); return }
        try await redis.send("ZADD", p + "workers:q", "1", "dead")
        #expect(try await queue.recoverDeadWorkers(queue: "q", recoverer: "alive").requeued == 2)
        try await expectExact(queue, redis, p, "after recovery")
        #expect(try await queue.snapshot(id: lostA.id)?.queuePosition == 0)
        #expect(try await queue.snapshot(id: lostB.id)?.queuePosition == 1)
        // A failure to the dead list, requeued at the back; a postponed job promoted at the back.
        guard case .job(let failing) = try await queue.take(queue: "q", worker: "alive"),
            case .job(let waiting) = try await queue.take(queue: "q", worker: "alive")
        else { Issue.record("no job"); return }
        #expect(
            try await queue.fail(
                failing, worker: "alive", error: JobError(code: "x", message: "y"), retryable: false,
                backoff: .zero) == .failed)
        #expect(try await queue.postpone(waiting, worker: "alive", until: Date(), reason: "quota"))
        #expect(try await queue.promoteDue(queue: "q") == 1)
        #expect(try await queue.requeueDead(queue: "q") == 1)
        try await expectExact(queue, redis, p, "after promotion and requeue")
        #expect(try await queue.snapshot(id: failing.id)?.queuePosition == (try await line(redis, p)).count - 1)
        // Everything taken again in order, through the combined script: exact at every step.
        guard case .job(var job) = try await queue.take(queue: "q", worker: "alive") else { Issue.record("no job"); return }
        while true {
            try await expectExact(queue, redis, p, "while draining")
            guard case .job(let next)? = try await queue.complete(job, worker: "alive", result: "{}", thenTakeFrom: "q").next
            else { break }
            job = next
        }
        #expect(Set(ids).count == 8)
    }

    /// An id that left the list without a script (a BLMOVE whose mark never came) leaves the
    /// jobs behind it one too high, never out of bounds, until one of them is taken.
    @Test(.needsRedis) func boundedAfterAnUnrecordedPopAndExactAfterTheNextTake() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        _ = try await queue.enqueue((0..<6).map { _ in NewJob(kind: "k") }, queue: "q")
        let orphan = try #require(try await redis.send("LMOVE", p + "queue:q", p + "processing:q:w", "RIGHT", "LEFT").string)
        try await expectBounded(queue, redis, p, "after a raw LMOVE")
        #expect(try await queue.reclaimOrphans(queue: "q", worker: "w", ids: [orphan]) == 1)
        #expect(try await queue.snapshot(id: orphan)?.queuePosition == 0)
        try await expectBounded(queue, redis, p, "after the reclaim")
        guard case .job(let taken) = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        #expect(taken.id == orphan)
        try await expectBounded(queue, redis, p, "after the orphan was taken again")
        guard case .job = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        try await expectExact(queue, redis, p, "after a job from behind the gap was taken")
        // The last job in a list of one, whatever the counters say, is next.
        let rest = try await line(redis, p)
        for _ in 0..<(rest.count - 1) { _ = try await redis.send("LMOVE", p + "queue:q", p + "processing:q:x", "RIGHT", "LEFT") }
        #expect(try await queue.snapshot(id: rest.last!.id)?.queuePosition == 0)
    }

    @Test(.needsRedis) func aJobWithoutATicketHasNoPosition() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let id = try await queue.enqueue(kind: "k", queue: "q")
        try await redis.send("HDEL", p + "job:" + id, "qseq") // as enqueued by a gateway from before tickets
        let snapshot = try #require(try await queue.snapshot(id: id))
        #expect(snapshot.job.status == .queued && snapshot.queuePosition == nil)
        #expect(try await queue.snapshot(id: "missing") == nil)
    }

    /// A poll costs the same with 10 or 100,000 jobs queued: the script reads the hash and two
    /// counters and never walks the list (a benchmark, `BENCH_MODE=snapshot`, shows the speed).
    @Test func theSnapshotScriptDoesNotScan() {
        for script in [JobQueueScripts.snapshot, JobQueueScripts.position] {
            for command in ["LPOS", "LRANGE", "LINDEX", "HGETALL", "SCAN"] {
                #expect(!script.source.contains("'\(command)'"), "\(script.name) calls \(command)")
            }
        }
        #expect(!JobQueue.snapshotFields.contains("payload"))
    }
}
