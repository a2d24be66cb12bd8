import Foundation
import TestSupport
import Testing

@testable import OzhQueue
@testable import OzhRedis

/// `ozh-admin` as an operator runs it, against the test Redis.
@Suite("ozh-admin", .serialized, .needsServers)
struct AdminCLITests {
    func admin(_ arguments: [String], prefix: String, environment: [String: String]? = nil) async throws -> (status: Int32?, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("admin-\(UUID().uuidString).log")
        let process = Process()
        process.executableURL = TestPackage.binDirectory.appendingPathComponent("ozh-admin")
        process.arguments = arguments
        process.environment = try environment ?? ProcessLifecycleTests.environment(["REDIS_PREFIX": prefix])
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let status = await Executables.waitForExit(process, within: .seconds(20))
        return (status, try String(contentsOf: log, encoding: .utf8))
    }

    @Test func queuesJobRequeueAndPurge() async throws {
        let settings = try GatewayHarness.settings()
        let redis = try RedisClient(url: settings.redis.url)
        let prefix = settings.redis.prefix
        let queue = JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: prefix))
        let waiting = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount(), chatID: 5)
        let doomed = try await queue.enqueue(.probeCount, queue: "payment", payload: ProbeCount(), maxAttempts: 1)
        try await queue.heartbeat(queue: "payment", worker: "w-test")
        let taken = try #require(try await queue.reserve(queue: "payment", worker: "w-test", timeout: .seconds(1)))
        _ = try await queue.fail(taken, worker: "w-test", error: JobError(code: "boom", message: "always"), retryable: false, backoff: .zero)

        let queues = try await admin(["queues"], prefix: prefix)
        #expect(queues.status == 0)
        let lines = queues.output.split(separator: "\n")
        let generation = try #require(lines.first { $0.hasPrefix("generation") })
        #expect(generation.split(separator: " ").map(String.init) == ["generation", "1", "0", "0", "0", "0"])
        let payment = try #require(lines.first { $0.hasPrefix("payment") })
        #expect(payment.split(separator: " ").map(String.init) == ["payment", "0", "0", "0", "1", "1"])

        let job = try await admin(["job", waiting], prefix: prefix)
        #expect(job.status == 0)
        #expect(job.output.contains("status       queued"))
        #expect(job.output.contains("chat_id      5"))
        #expect(try await admin(["job", "no-such-job"], prefix: prefix).status != 0)

        let workers = try await admin(["workers"], prefix: prefix)
        #expect(workers.output.contains("w-test"))

        let requeued = try await admin(["requeue-dead", "payment", "--limit", "5"], prefix: prefix)
        #expect(requeued.output.contains("requeued 1"))
        #expect(try await queue.job(id: doomed)?.status == .queued)
        #expect(try await admin(["requeue-dead", "nonsense"], prefix: prefix).status != 0)

        let again = try #require(try await queue.reserve(queue: "payment", worker: "w-test", timeout: .seconds(1)))
        _ = try await queue.fail(again, worker: "w-test", error: JobError(code: "boom", message: "always"), retryable: false, backoff: .zero)
        let purged = try await admin(["purge-dead", "payment"], prefix: prefix)
        #expect(purged.output.contains("purged 1"))
        #expect(try await queue.stats(queue: "payment").dead == 0)
    }

    /// The queue commands touch Redis only, so `REDIS_URL` is all they need (no `MONGO_URI`, no
    /// API or payment keys); without it they refuse in one line, exit status 2.
    @Test func queueCommandsNeedOnlyRedis() async throws {
        let settings = try GatewayHarness.settings()
        let prefix = settings.redis.prefix
        let queue = JobQueue(redis: try RedisClient(url: settings.redis.url), configuration: JobQueueConfiguration(prefix: prefix))
        let waiting = try await queue.enqueue(.probeCount, queue: "generation", payload: ProbeCount())
        let bare = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "OZH_ENV_FILE": "/nonexistent/.env",
            ProcessLifecycleTests.mongoSharedMemoryOff.key: ProcessLifecycleTests.mongoSharedMemoryOff.value,
        ]
        let redisOnly = bare.merging(["REDIS_URL": settings.redis.url, "REDIS_PREFIX": prefix]) { $1 }

        let queues = try await admin(["queues"], prefix: prefix, environment: redisOnly)
        #expect(queues.status == 0, "\(queues.output)")
        let generation = try #require(queues.output.split(separator: "\n").first { $0.hasPrefix("generation") }, "\(queues.output)")
        #expect(generation.split(separator: " ").map(String.init) == ["generation", "1", "0", "0", "0", "0"])
        #expect(try await admin(["workers"], prefix: prefix, environment: redisOnly).status == 0)
        #expect(try await admin(["job", waiting], prefix: prefix, environment: redisOnly).output.contains("status       queued"))

        let noRedis = try await admin(["queues"], prefix: prefix, environment: bare)
        #expect(noRedis.status == 2, "\(noRedis.output)")
        #expect(noRedis.output == "ozh-admin queues: setting_missing: REDIS_URL is not set\n", "\(noRedis.output)")
        let badRedis = try await admin(["queues"], prefix: prefix, environment: bare.merging(["REDIS_URL": "http://nowhere"]) { $1 })
        #expect(badRedis.status == 2, "\(badRedis.output)")
        #expect(badRedis.output.hasPrefix("ozh-admin queues: setting_invalid: REDIS_URL is invalid"), "\(badRedis.output)")
        #expect(badRedis.output.split(separator: "\n").count == 1, "\(badRedis.output)")
    }
}
