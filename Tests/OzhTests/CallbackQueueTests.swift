import Foundation
import Logging
import TestSupport
import Testing

@testable import OzhDomain
@testable import OzhQueue

/// The queue side of push callbacks on a real Redis: the callback fields ride on the enqueue,
/// an end queues one delivery per event, state lands in the job's hash and its snapshot, and a
/// job that recovery makes dead is reported for its push.
@Suite("Callback queue", .serialized, .needsRedis)
struct CallbackQueueTests {
    static let fields = [(JobCallback.Field.url, "https://bot.example.com/hook"), (JobCallback.Field.events, "progress")]

    @Test func anEndQueuesOneDeliveryPerEventAndTheSnapshotShowsItsState() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let id = try await queue.enqueue(kind: "k", queue: "q", chatID: 5, fields: Self.fields)
        let job = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(job.callback?.url == "https://bot.example.com/hook" && job.callback?.progress == true)
        await queue.pushProgress(of: job, progress: #"{"images_done": 1, "images_planned": 4}"#, logger: Logger(label: "t"))
        #expect(try await queue.complete(job, worker: "w", result: "{}"))
        let done = try #require(try await queue.job(id: id))
        await queue.pushEnd(of: done, status: .succeeded, logger: Logger(label: "t"))
        await queue.pushEnd(of: done, status: .succeeded, logger: Logger(label: "t")) // idempotent per event
        let ready = try await redis.send("LRANGE", p + "queue:callback", "0", "-1").array?.compactMap(\.string) ?? []
        #expect(Set(ready) == ["cb.\(id).progress.1", "cb.\(id).succeeded"])
        let delivery = try #require(try await queue.job(id: "cb.\(id).succeeded"))
        let payload = try JSONDecoder().decode(CallbackDelivery.self, from: Data(delivery.payload.utf8))
        #expect(payload == CallbackDelivery(jobID: id, event: "succeeded", url: "https://bot.example.com/hook"))
        #expect(payload.webhookID == "\(id).succeeded")

        #expect(try await queue.snapshot(id: id)?.job.callback?.status == "pending")
        let next = Date(timeIntervalSince1970: 2_000_000_000)
        var state = try #require(done.callback)
        (state.status, state.attempts, state.lastStatus, state.nextAttemptAt) = ("retrying", 1, "500", next)
        try await queue.recordCallback(jobID: id, state: state, final: true)
        let shown = try #require(try await queue.snapshot(id: id)?.job.callback)
        #expect(shown.status == "retrying" && shown.attempts == 1 && shown.lastStatus == "500" && shown.nextAttemptAt == next)
        // A progress delivery's outcome never overwrites the final event's once the job has ended.
        state.status = "delivered"
        try await queue.recordCallback(jobID: id, state: state, final: false)
        #expect(try await queue.snapshot(id: id)?.job.callback?.status == "retrying")
        // Nothing is created for a job whose hash is gone.
        try await queue.recordCallback(jobID: "gone", state: state, final: true)
        #expect(try await redis.send("EXISTS", p + "job:gone").int == 0)
    }

    @Test func aJobWithoutCallbackQueuesNothing() async throws {
        let (queue, redis, p) = try makeTestQueue()
        defer { Task { await deleteKeys(redis, prefix: p) } }
        _ = try await queue.enqueue(kind: "k", queue: "q")
        let job = try #require(try await queue.reserve(queue: "q", worker: "w", timeout: .seconds(1)))
        #expect(job.callback == nil)
        await queue.pushEnd(of: job, status: .failed, logger: Logger(label: "t"))
        #expect(try await redis.send("LLEN", p + "queue:callback").int == 0)
    }

    @Test func recoveryReportsTheDeadJobsWithACallback() async throws {
        let (queue, redis, p) = try makeTestQueue(workerDeadAfter: .seconds(5), heartbeatInterval: recovererBeat)
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let pushed = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 1, fields: Self.fields)
        _ = try await queue.enqueue(kind: "k", queue: "q", maxAttempts: 1)
        try await queue.heartbeat(queue: "q", worker: "gone")
        for _ in 0..<2 { _ = try #require(try await queue.reserve(queue: "q", worker: "gone", timeout: .seconds(1))) }
        try await redis.send("ZADD", p + "workers:q", "1", "gone")
        try await queue.heartbeat(queue: "q", worker: "alive")
        let report = try await queue.recoverDeadWorkers(queue: "q", recoverer: "alive")
        #expect(report.dead == 2)
        #expect(report.deadWithCallback == [pushed])
    }
}
