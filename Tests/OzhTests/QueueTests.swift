import Foundation
import TestSupport
import Testing

@testable import OzhQueue

@Suite("Job queue")
struct QueueTests {
    @Test(.needsRedis) func enqueueReserveComplete() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let tap = try await EventTap(redis, channel: queue.eventsChannel)
        let id = try await queue.enqueue(kind: "gen", queue: "q", payload: #"{"a":1}"#, chatID: 42, maxAttempts: 3)
        #expect(id == id.lowercased() && UUID(uuidString: id) != nil)
        #expect(try await queue.job(id: id)?.status == .queued)
        #expect(try await queue.queuePosition(id: id, queue: "q") == 0)
        // An enqueue with an existing id writes nothing.
        #expect(try await queue.enqueue(kind: "other", queue: "q", id: id) == id)
        #expect(try await redis.send("LLEN", p + "queue:q").int == 1)

        let job = try #require(try await queue.reserve(queue: "q", worker: "w1", timeout: .seconds(1)))
        #expect(job.id == id && job.kind == "gen" && job.status == .processing && job.attempts == 1)
        #expect(job.payload == #"{"a":1}"# && job.chatID == 42 && job.maxAttempts == 3 && job.worker == "w1")
        #expect(job.startedAt != nil)
        #expect(try await redis.send("LRANGE", p + "processing:q:w1", "0", "-1").array?.compactMap(\.string) == [id])
        #expect(try await queue.setProgress(id: id, progress: #"{"done":1}"#))
        #expect(try await queue.complete(job, worker: "w2", result: "{}") == false) // not its holder
        #expect(try await queue.complete(job, worker: "w1", result: #"{"images":2}"#))
        #expect(try await queue.complete(job, worker: "w1", result: "{}") == false) // already done

        let done = try #require(try await queue.job(id: id))
        #expect(done.status == .succeeded && done.result == #"{"images":2}"# && done.progress == #"{"done":1}"#)
        #expect(done.finishedAt != nil && done.error == nil)
        let ttl = try await redis.send("PTTL", p + "job:" + id).int ?? -1
        #expect(ttl > 3 * 86_400_000 - 60_000 && ttl <= 3 * 86_400_000)
        #expect(try await redis.send("LLEN", p + "processing:q:w1").int == 0)
        #expect(try await tap.next(3) == ["\(id) queued", "\(id) processing", "\(id) succeeded"])
        #expect(try await queue.reserve(queue: "q", worker: "w1", timeout: .milliseconds(100)) == nil)
    }

    @Test(.needsRedis) func retriesWithBackoffThenDeadThenRequeue() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let id = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 3)
        let error = JobError(code: "upstream", message: "503")
        for attempt in 1...2 {
            let job = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
            #expect(job.attempts == attempt)
            let before = Date()
            #expect(try await queue.fail(job, worker: "w", error: error, retryable: true, backoff: .milliseconds(400)) == .retrying)
            let waiting = try #require(try await queue.job(id: id))
            #expect(waiting.status == .retrying && waiting.error == error)
            let runAt = try #require(waiting.runAt)
            #expect(runAt.timeIntervalSince(before) > 0.3 && runAt.timeIntervalSince(before) < 1.0)
            #expect(try await redis.send("ZSCORE", p + "delayed:q", id).string != nil)
            #expect(try await queue.promoteDue(queue: "q") == 0) // not due yet
            try await Task.sleep(for: .seconds(max(0, runAt.timeIntervalSinceNow) + 0.05))
            #expect(try await queue.promoteDue(queue: "q") == 1)
            #expect(try await queue.promoteDue(queue: "q") == 0)
            #expect(try await queue.job(id: id)?.status == .queued)
        }
        let last = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(last.attempts == 3)
        #expect(try await queue.fail(last, worker: "w", error: error, retryable: true, backoff: .milliseconds(10)) == .failed)
        let dead = try #require(try await queue.job(id: id))
        #expect(dead.status == .failed && dead.finishedAt != nil && dead.error == error)
        #expect(try await redis.send("LRANGE", p + "dead:q", "0", "-1").array?.compactMap(\.string) == [id])
        #expect((try await redis.send("PTTL", p + "job:" + id).int ?? 0) > 13 * 86_400_000)
        #expect(try await queue.stats(queue: "q").dead == 1)

        #expect(try await queue.requeueDead(queue: "q", limit: 10) == 1)
        let back = try #require(try await queue.job(id: id))
        #expect(back.status == .queued && back.attempts == 0)
        #expect(try await redis.send("PTTL", p + "job:" + id).int == -1)
        #expect(try await redis.send("LRANGE", p + "queue:q", "0", "-1").array?.compactMap(\.string) == [id])
        #expect(try await redis.send("LLEN", p + "dead:q").int == 0)
    }

    @Test(.needsRedis) func nonRetryableFailureGoesDeadAndPurges() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let id = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 5)
        let job = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        let status = try await queue.fail(
            job, worker: "w", error: JobError(code: "bad_input", message: "no"), retryable: false,
            backoff: .seconds(1))
        #expect(status == .failed)
        #expect(try await queue.purgeDead(queue: "q") == 1)
        #expect(try await queue.job(id: id) == nil)
        // The policy's cap applies even when the job allows more.
        let capped = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 5)
        let first = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(
            try await queue.fail(
                first, worker: "w", error: JobError(code: "x", message: ""), retryable: true,
                backoff: .zero, maxAttempts: 1) == .failed)
        #expect(try await queue.job(id: capped)?.status == .failed)
    }

    @Test func backoffIsExponentialWithFullJitter() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(30))
        #expect(policy.backoffCeiling(afterAttempt: 1) == .seconds(1))
        #expect(policy.backoffCeiling(afterAttempt: 2) == .seconds(2))
        #expect(policy.backoffCeiling(afterAttempt: 4) == .seconds(8))
        #expect(policy.backoffCeiling(afterAttempt: 6) == .seconds(30))
        #expect(policy.backoffCeiling(afterAttempt: 200) == .seconds(30))
        let samples = (0..<200).map { _ in policy.backoff(afterAttempt: 3) }
        #expect(samples.allSatisfy { $0 >= .zero && $0 <= .seconds(4) })
        #expect(Set(samples).count > 50)
    }

    @Test(.needsRedis) func postponeAndReleaseDoNotCountAttempts() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let a = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 1)
        let b = try await queue.enqueue(kind: "k", queue: "q")
        let jobA = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(jobA.id == a && jobA.attempts == 1)
        #expect(try await queue.postpone(jobA, worker: "w", until: Date().addingTimeInterval(0.3), reason: "quota spent"))
        let waiting = try #require(try await queue.job(id: a))
        #expect(waiting.status == .retrying && waiting.attempts == 0 && waiting.runAt != nil)
        #expect(waiting.error == JobError(code: "postponed", message: "quota spent"))
        #expect(try await queue.promoteDue(queue: "q") == 0)
        try await Task.sleep(for: .milliseconds(350))
        #expect(try await queue.promoteDue(queue: "q") == 1)
        // b was first in line; a joined behind it.
        #expect(try await queue.queuePosition(id: b, queue: "q") == 0)
        #expect(try await queue.queuePosition(id: a, queue: "q") == 1)
        let jobB = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(jobB.id == b)
        #expect(try await queue.release(jobB, worker: "w"))
        #expect(try await queue.job(id: b)?.status == .queued)
        #expect(try await queue.queuePosition(id: b, queue: "q") == 0) // released to the head
        let again = try #require(try await queue.reserve(queue: "q", worker: "w2", timeout: .seconds(1)))
        #expect(again.id == b && again.attempts == 1)
        #expect(try await queue.release(jobB, worker: "w") == false) // an old reservation changes nothing
        let retried = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(retried.id == a && retried.attempts == 1) // max_attempts 1 and still allowed to run
        #expect(try await queue.complete(retried, worker: "w", result: "{}"))
    }

    @Test(.needsRedis) func recoveryReturnsDeadWorkersJobsOnce() async throws {
        let (queue, redis, p) = try makeTestQueue(workerDeadAfter: .seconds(5), heartbeatInterval: recovererBeat)
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let lost = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 3)
        let kept = try await queue.enqueue(kind: "k", queue: "q")
        try await queue.heartbeat(queue: "q", worker: "dead")
        try await queue.heartbeat(queue: "q", worker: "alive")
        let lostJob = try #require(try await queue.reserve(queue: "q", worker: "dead", timeout: .seconds(1)))
        let keptJob = try #require(try await queue.reserve(queue: "q", worker: "alive", timeout: .seconds(1)))
        #expect(lostJob.id == lost && keptJob.id == kept)
        // "dead" stops heart-beating: its last beat is a minute old.
        let old = String(Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        try await redis.send("ZADD", p + "workers:q", old, "dead")
        let stats = try await queue.stats(queue: "q")
        #expect(stats.processing == 2 && stats.liveWorkers.map(\.id) == ["alive"] && stats.staleWorkers.map(\.id) == ["dead"])

        try await queue.heartbeat(queue: "q", worker: "alive")
        let reports = try await withThrowingTaskGroup(of: RecoveryReport.self) { group in
            for _ in 0..<10 { group.addTask { try await queue.recoverDeadWorkers(queue: "q", recoverer: "alive") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.map(\.requeued).reduce(0, +) == 1)
        #expect(reports.map(\.workers).reduce(0, +) == 1)
        #expect(try await redis.send("LRANGE", p + "queue:q", "0", "-1").array?.compactMap(\.string) == [lost])
        #expect(try await redis.send("EXISTS", p + "processing:q:dead").int == 0)
        #expect(try await redis.send("ZSCORE", p + "workers:q", "dead") == .null)
        let recovered = try #require(try await queue.job(id: lost))
        #expect(recovered.status == .queued && recovered.attempts == 1 && recovered.error?.code == "worker_lost")
        // The live worker's job was not touched.
        #expect(try await queue.job(id: kept)?.status == .processing)
        #expect(try await queue.complete(keptJob, worker: "alive", result: "{}"))
        // The presumed-dead worker wakes up: its result is refused.
        #expect(try await queue.complete(lostJob, worker: "dead", result: "{}") == false)
        let rerun = try #require(try await queue.reserve(queue: "q", worker: "alive", timeout: .seconds(1)))
        #expect(rerun.id == lost && rerun.attempts == 2)
        #expect(try await queue.complete(rerun, worker: "alive", result: "{}"))
    }

    @Test(.needsRedis) func recoveryOfAJobOutOfAttemptsMakesItDead() async throws {
        let (queue, redis, p) = try makeTestQueue(workerDeadAfter: .seconds(5), heartbeatInterval: recovererBeat)
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let id = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 1)
        try await queue.heartbeat(queue: "q", worker: "gone")
        _ = try #require(try await queue.reserve(queue: "q", worker: "gone", timeout: .seconds(1)))
        try await redis.send("ZADD", p + "workers:q", "1", "gone")
        try await queue.heartbeat(queue: "q", worker: "alive")
        #expect(try await queue.recoverDeadWorkers(queue: "q", recoverer: "alive") == RecoveryReport(requeued: 0, dead: 1, workers: 1))
        #expect(try await queue.job(id: id)?.status == .failed)
        #expect(try await redis.send("LRANGE", p + "dead:q", "0", "-1").array?.compactMap(\.string) == [id])
    }

    /// A recovery call that waited in a socket buffer while Redis was stalled reaches Redis when
    /// every heartbeat, the caller's own too, is stale: it must judge nobody.
    @Test(.needsRedis) func aRecovererWhoseOwnHeartbeatIsStaleRecoversNobody() async throws {
        let (queue, redis, p) = try makeTestQueue(workerDeadAfter: .seconds(5), heartbeatInterval: recovererBeat)
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let id = try await queue.enqueue(kind: "k", queue: "q")
        try await queue.heartbeat(queue: "q", worker: "other")
        _ = try #require(try await queue.reserve(queue: "q", worker: "other", timeout: .seconds(1)))
        let old = String(Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        try await redis.send("ZADD", p + "workers:q", old, "other")
        try await redis.send("ZADD", p + "workers:q", old, "late")
        #expect(try await queue.recoverDeadWorkers(queue: "q", recoverer: "late") == RecoveryReport(requeued: 0, dead: 0, workers: 0, refused: true))
        #expect(try await queue.recoverDeadWorkers(queue: "q", recoverer: "never-beat").refused)
        #expect(try await queue.job(id: id)?.status == .processing, "the other worker's job was not touched")
        #expect(try await redis.send("ZSCORE", p + "workers:q", "other") != .null)
        // Once the recoverer has heart-beaten, the stale one is recovered as before.
        try await queue.heartbeat(queue: "q", worker: "late")
        #expect(try await queue.recoverDeadWorkers(queue: "q", recoverer: "late") == RecoveryReport(requeued: 1, dead: 0, workers: 1))
        #expect(try await queue.job(id: id)?.status == .queued)
    }

    @Test(.needsRedis) func orphansOfALiveWorkerAreReclaimed() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let unmarked = try await queue.enqueue(kind: "k", queue: "q")
        let marked = try await queue.enqueue(kind: "k", queue: "q")
        // A BLMOVE whose reply was lost: the id sits in the list, still `queued`.
        try await redis.send("LMOVE", p + "queue:q", p + "processing:q:w", "RIGHT", "LEFT")
        // A mark whose reply was lost: `processing` by w, but w is not running it.
        _ = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(Set(try await queue.held(queue: "q", worker: "w")) == [unmarked, marked])
        #expect(try await queue.reclaimOrphans(queue: "q", worker: "w", ids: [unmarked, marked]) == 2)
        #expect(try await queue.held(queue: "q", worker: "w").isEmpty)
        #expect(try await queue.job(id: marked)?.status == .queued)
        #expect(try await queue.stats(queue: "q").ready == 2)
    }
}
