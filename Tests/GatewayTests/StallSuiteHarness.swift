import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhMongo
@testable import OzhQueue

/// The "stalls and time" suite's stack: its own Redis and SecantusDB (so a case can SIGSTOP,
/// FLUSHALL or expire them), the sandbox as Gemini, the gateway in process and real
/// generation workers with short heartbeat, dead-after and sweep times, so a stall past the
/// dead-after time or a charge "older than the sweep's grace" takes seconds, not minutes.
struct StallStack: Sendable {
    let client: any TestClientProtocol
    let services: GatewayServices
    let stack: GenerationStack
    let servers: FaultServers
    /// The settings every worker of this stack gets.
    let workerEnvironment: [String: String]

    /// Heartbeat every 250 ms, dead after 1.5 s.
    static let deadAfter = Duration.milliseconds(1500)
    /// The workers' settings beyond the gateway's.
    static let workerSettings = [
        "WORKER_HEARTBEAT_MS": "250", "WORKER_DEAD_AFTER_MS": "1500", "WORKER_CONCURRENCY": "2",
        "REFUND_SWEEP_INTERVAL_MS": "300", "REFUND_SWEEP_AFTER_MS": "1500", "METRICS_PORT": "0",
    ]
    static let drawing = try! MagickImage.makeImage(width: 320, height: 240, format: .png, color: "#22aa66")

    /// Runs `body` on a fresh stack with `workers` workers; the sandbox answers each call after
    /// `latencyMS`. Servers and processes are stopped afterwards whatever happens.
    static func run(
        workers: Int, latencyMS: Int = 0, settings extra: [String: String] = [:], workerExtra: [String: String] = [:],
        _ body: @Sendable (StallStack) async throws -> Void
    ) async throws {
        let servers = try await FaultServers.start()
        defer { servers.stop() }
        let stack = try await GenerationStack(sandboxEnvironment: [
            "SANDBOX_GEMINI_RPM": "10000", "SANDBOX_GEMINI_RPD": "1000000", "SANDBOX_GEMINI_LATENCY_MS": "\(latencyMS)",
        ])
        defer { stack.stop() }
        var settings = [
            "REDIS_URL": servers.redisURL, "MONGO_URI": servers.mongoURI, "GEMINI_BASE_URL": stack.geminiBaseURL,
            "GEMINI_API_KEYS_STR": "s1:stall-key-one,s2:stall-key-two", "GEMINI_RPM": "10000",
            "GEMINI_RPD": "1000000", "MAIN_IMAGES": "2", "MAX_ACTIVE_GENERATIONS": "4",
        ]
        settings.merge(extra) { $1 }
        try await GatewayHarness.withGateway(settings) { client, services in
            let workerEnvironment = Self.workerSettings.merging(workerExtra) { $1 }
            for _ in 0..<workers { try await stack.startWorker(services.settings, workerEnvironment) }
            try await body(
                StallStack(
                    client: client, services: services, stack: stack, servers: servers,
                    workerEnvironment: workerEnvironment))
        }
    }

    /// Starts one more worker like the others.
    @discardableResult
    func startWorker(_ extra: [String: String] = [:]) async throws -> Process {
        try await stack.startWorker(services.settings, workerEnvironment.merging(extra) { $1 })
    }

    /// Registers `count` users (chat ids from `first`) and submits one generation each; returns the job ids.
    func submit(users count: Int, from first: Int64) async throws -> [(chat: Int64, job: String)] {
        var jobs: [(Int64, String)] = []
        for chat in first..<(first + Int64(count)) {
            let created = try await client.call(.post, "/users", json: #"{"chat_id": \#(chat)}"#)
            #expect(created.status == 201, "\(created.body)")
            let (status, body) = try await client.generate(chatID: String(chat), image: Self.drawing)
            #expect(status == 202, "\(body)")
            jobs.append((chat, try #require(body["job_id"] as? String)))
        }
        return jobs
    }

    /// The job's status in Redis, nil when its record is gone.
    func status(_ job: String) async throws -> JobStatus? {
        try await services.queue.job(id: job)?.status
    }

    /// Waits (bounded) until `condition` holds; fails the test with `what` when it never does.
    func waitUntil(_ what: String, within limit: Duration, _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            if try await condition() { return }
            guard ContinuousClock.now < deadline else { throw TestSetupError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until no user has an unsettled charge (every job settled one way or the other)
    /// and the ledger holds an entry for every operation the users' records list. A settlement
    /// updates the user first and writes its ledger entry next, so a check between the two
    /// would see the job settled and its entry not yet there.
    func waitUntilAllSettled(within limit: Duration) async throws {
        let users = services.mongo.collection("users")
        let ledger = services.mongo.collection("ledger")
        try await waitUntil("every charge is settled and in the ledger", within: limit) {
            guard try await users.countDocuments(["active_generations.0": ["$exists": true]]) == 0 else { return false }
            let operations = try await users.find([:], as: UserRecord.self).flatMap { $0.ops.map(\.id) }
            guard !operations.isEmpty else { return true }
            return try await ledger.countDocuments(["_id": ["$in": .array(operations.map(BSON.string))]]) == operations.count
        }
    }

    /// Gemini calls the sandbox answered.
    func geminiCalls() async throws -> Int {
        try #require(try await stack.sandboxCall("GET", "/_sandbox/gemini/stats")["total_calls"] as? Int)
    }

    /// The ledger entries of the generation `job`, by operation kind (`generation_charge`, ...).
    func settlements(_ job: String) async throws -> [String] {
        try await services.mongo.collection("ledger").find(["ref": .string(job)], projection: ["_id": 1])
            .compactMap { $0["_id"]?.stringValue?.split(separator: ":").first.map(String.init) }.sorted()
    }

    /// A user's balance, read from MongoDB.
    func balance(_ chat: Int64) async throws -> Int64 {
        try #require(try await services.mongo.collection("users").findOne(["_id": .int64(chat)])?["ozhivashki"]?.int64Value)
    }

    /// The money invariants, read from MongoDB alone: every ledger sums to its balance; every
    /// charge has exactly one settlement (or its job is unsettled in `active_generations`);
    /// nothing is both succeeded and refunded. Then `ozh-admin audit` must agree.
    func expectMoneyIsRight(_ where: SourceLocation = #_sourceLocation) async throws {
        let users = try await services.mongo.collection("users").find([:], as: UserRecord.self)
        let ledger = try await services.mongo.collection("ledger").find([:], as: LedgerEntry.self)
        for user in users {
            let sum = ledger.filter { $0.chatID == user.chatID }.map(\.delta).reduce(0, +)
            #expect(sum == user.ozhivashki, "user \(user.chatID): ledger sums to \(sum), balance \(user.ozhivashki)", sourceLocation: `where`)
            for job in Set(ledger.filter { $0.chatID == user.chatID && $0.reason == "generation" }.compactMap(\.ref)) {
                let kinds = ledger.filter { $0.ref == job }.map { $0.id.split(separator: ":")[0] }
                let settled = kinds.filter { $0 == "generation_success" || $0 == "generation_refund" }.count
                let active = (user.activeGenerations ?? []).contains(job)
                #expect(settled == (active ? 0 : 1), "job \(job): \(kinds), active \(active)", sourceLocation: `where`)
            }
        }
        let audit = try await runAudit(mongoURI: services.settings.mongo.uri, database: services.settings.mongo.database)
        #expect(audit.status == 0, "ozh-admin audit:\n\(audit.output)", sourceLocation: `where`)
    }

    /// The text of every generation worker's log.
    func workerLogs() -> String {
        (0..<stack.workers.count).map {
            (try? String(contentsOf: stack.logDirectory.appendingPathComponent("ozh-generation-worker-\($0).log"), encoding: .utf8)) ?? ""
        }.joined(separator: "\n")
    }
}
