import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import OzhQueue

@Suite("Job queue: complete and take in one script", .needsRedis)
struct CompleteAndTakeQueueTests {
    @Test func completesAndTakesTheNextJobInOneScript() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let a = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 3)
        let b = try await queue.enqueue(kind: "k", queue: "q", chatID: 7, maxAttempts: 3)
        guard case .job(let jobA) = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        #expect(jobA.id == a)
        let tap = try await EventTap(redis, channel: queue.eventsChannel)
        let first = try await queue.complete(jobA, worker: "w", result: #"{"n":1}"#, thenTakeFrom: "q")
        #expect(first.completed)
        guard case .job(let jobB)? = first.next else { Issue.record("took \(String(describing: first.next))"); return }
        #expect(jobB.id == b && jobB.status == .processing && jobB.attempts == 1 && jobB.worker == "w" && jobB.chatID == 7)
        let doneA = try #require(try await queue.job(id: a))
        #expect(doneA.status == .succeeded && doneA.result == #"{"n":1}"# && doneA.finishedAt != nil)
        let ttl = try await redis.send("PTTL", p + "job:" + a).int ?? -1
        #expect(ttl > 3 * 86_400_000 - 60_000 && ttl <= 3 * 86_400_000)
        #expect(try await redis.send("LRANGE", p + "processing:q:w", "0", "-1").array?.compactMap(\.string) == [b])
        #expect(try await redis.send("LLEN", p + "queue:q").int == 0)
        // The last job: completed, and the list was empty (the consumer goes to BLMOVE).
        #expect(try await queue.complete(jobB, worker: "w", result: "{}", thenTakeFrom: "q") == JobCompletion(completed: true, next: .empty))
        #expect(try await tap.next(3) == ["\(a) succeeded", "\(b) processing", "\(b) succeeded"])
        #expect(try await redis.send("LLEN", p + "processing:q:w").int == 0)
    }

    @Test func aRefusedCompletionTakesNothing() async throws {
        let (queue, redis, p) = try makeTestQueue(workerDeadAfter: .seconds(5), heartbeatInterval: recovererBeat)
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let a = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 3)
        let b = try await queue.enqueue(kind: "k", queue: "q")
        guard case .job(let jobA) = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        // Another worker, or a stale attempt number: refused, nothing taken.
        #expect(try await queue.complete(jobA, worker: "other", result: "{}", thenTakeFrom: "q") == JobCompletion(completed: false))
        var stale = jobA
        stale.attempts = 2
        #expect(try await queue.complete(stale, worker: "w", result: "{}", thenTakeFrom: "q") == JobCompletion(completed: false))
        #expect(try await redis.send("LRANGE", p + "queue:q", "0", "-1").array?.compactMap(\.string) == [b])
        #expect(try await queue.job(id: b)?.status == .queued)
        // w is presumed dead and its job recovered: its late completion is refused and takes nothing.
        try await redis.send("ZADD", p + "workers:q", "1", "w")
        try await queue.heartbeat(queue: "q", worker: "alive")
        #expect(try await queue.recoverDeadWorkers(queue: "q", recoverer: "alive").requeued == 1)
        #expect(try await queue.complete(jobA, worker: "w", result: "{}", thenTakeFrom: "q") == JobCompletion(completed: false))
        #expect(try await redis.send("LRANGE", p + "queue:q", "0", "-1").array?.compactMap(\.string) == [b, a])
        #expect(try await redis.send("EXISTS", p + "processing:q:w").int == 0)
        #expect(try await queue.job(id: a)?.status == .queued)
        #expect(try await queue.job(id: b)?.status == .queued)
    }

    @Test func withoutANextQueueItCompletesAndTakesNothing() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        _ = try await queue.enqueue(kind: "k", queue: "q")
        let b = try await queue.enqueue(kind: "k", queue: "q")
        guard case .job(let jobA) = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        #expect(try await queue.complete(jobA, worker: "w", result: "{}", thenTakeFrom: nil) == JobCompletion(completed: true))
        #expect(try await queue.job(id: jobA.id)?.status == .succeeded)
        #expect(try await redis.send("LRANGE", p + "queue:q", "0", "-1").array?.compactMap(\.string) == [b])
        #expect(try await redis.send("LLEN", p + "processing:q:w").int == 0)
    }

    @Test func strayIdsAreDroppedOnTheWayToTheNextJob() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let a = try await queue.enqueue(kind: "k", queue: "q")
        guard case .job(let jobA) = try await queue.take(queue: "q", worker: "w") else { Issue.record("no job"); return }
        let b = try await queue.enqueue(kind: "k", queue: "q")
        // Two ids without a queued job ahead of b (an expired hash, a duplicate of a finished one).
        try await redis.send("RPUSH", p + "queue:q", "no-such-job", a)
        let completion = try await queue.complete(jobA, worker: "w", result: "{}", thenTakeFrom: "q")
        guard case .job(let jobB)? = completion.next else { Issue.record("took \(String(describing: completion.next))"); return }
        #expect(completion.completed && jobB.id == b)
        #expect(try await redis.send("LRANGE", p + "processing:q:w", "0", "-1").array?.compactMap(\.string) == [b])
        #expect(try await queue.job(id: a)?.status == .succeeded)
    }

    /// Many consumers completing and taking at once: every job runs and completes exactly once.
    @Test func manyConsumersCompleteEveryJobExactlyOnce() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let ids = try await queue.enqueue((0..<600).map { _ in NewJob(kind: "k") }, queue: "q")
        final class Runs: Sendable { let counts = Mutex<[String: Int]>([:]) }
        let runs = Runs()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for consumer in 0..<24 {
                group.addTask {
                    let worker = "w\(consumer)"
                    var next = try await queue.take(queue: "q", worker: worker)
                    while case .job(let job) = next {
                        runs.counts.withLock { $0[job.id, default: 0] += 1 }
                        let completion = try await queue.complete(job, worker: worker, result: "{}", thenTakeFrom: "q")
                        #expect(completion.completed)
                        next = completion.next ?? .empty
                        if next == .stray { next = try await queue.take(queue: "q", worker: worker) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = runs.counts.withLock { $0 }
        #expect(counts.count == ids.count && counts.values.allSatisfy { $0 == 1 })
        #expect(Set(counts.keys) == Set(ids))
        for id in ids.prefix(50) { #expect(try await queue.job(id: id)?.status == .succeeded) }
        #expect(try await queue.stats(queue: "q").ready == 0)
        for consumer in 0..<24 { #expect(try await redis.send("LLEN", p + "processing:q:w\(consumer)").int == 0) }
    }

    /// A runtime whose last job ends after its shutdown began records the success and takes
    /// no new job with it: the backlog stays queued, no attempt spent.
    @Test func aStoppingRuntimeTakesNothingWithItsLastCompletion() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let runtime = WorkerRuntime(
            queue: queue, configuration: .init(queue: "q", workerID: "rt-stop", concurrency: 1),
            logger: Logger(label: "test"))
        let gate = ShutdownSignal()
        runtime.register(kind: "gate") { _ in
            await gate.wait()
            return "{}"
        }
        runtime.register(kind: "k") { _ in "{}" }
        let first = try await queue.enqueue(kind: "gate", queue: "q")
        let task = Task { try await runtime.run() }
        #expect(await eventually(.seconds(5)) { try await queue.job(id: first)?.status == .processing })
        let waiting = try await queue.enqueue((0..<3).map { _ in NewJob(kind: "k") }, queue: "q")
        runtime.stop()
        gate.trigger()
        let finished = ShutdownSignal()
        Task {
            _ = try? await task.value; finished.trigger()
        }
        #expect(await finished.sleep(for: .seconds(5)))
        #expect(try await queue.job(id: first)?.status == .succeeded)
        for id in waiting {
            let job = try #require(try await queue.job(id: id))
            #expect(job.status == .queued && job.attempts == 0)
        }
        #expect(try await redis.send("LLEN", p + "queue:q").int == 3)
        #expect(try await redis.send("EXISTS", p + "processing:q:rt-stop").int == 0)
    }
}
