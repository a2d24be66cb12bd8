import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhImages
@testable import OzhMongo

/// How many MongoDB commands the hot requests send, counted by libmongoc's command monitoring
/// on the gateway's own client (``MongoClient/commands``): the figures of `bench/README.md`'s
/// commands-per-request table, held as upper bounds so a change that adds a round trip fails.
@Suite("MongoDB round trips", .serialized, .needsServers)
struct MongoRoundTripTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#3366ff")

    /// Runs `body` and returns the commands the gateway's client sent meanwhile.
    static func commands(_ services: GatewayServices, expect status: Int, _ body: () async throws -> Int) async throws -> [MongoCommandTally.Key: Int]
    {
        let before = services.mongo.commands.snapshot
        let answered = try await body()
        #expect(answered == status)
        return services.mongo.commands.since(before)
    }

    static func key(_ collection: String, _ command: String) -> MongoCommandTally.Key { .init(collection, command) }

    @Test func usersAndGenerateSendTheFewestCommandsTheirGuaranteesAllow() async throws {
        try await GatewayHarness.withGateway { client, services in
            let created = try await Self.commands(services, expect: 201) {
                try await client.call(.post, "/users", json: #"{"chat_id": 5101}"#).status
            }
            // The user with its signup operation, and the signup's ledger entry.
            #expect(created == [Self.key("users", "insert"): 1, Self.key("ledger", "insert"): 1])
            // Within ACTIVITY_RESOLUTION_S of the registration a read writes nothing; the first
            // finds the user, the next are served from the user cache (USER_CACHE_TTL_MS).
            for n in 0..<3 {
                let read = try await Self.commands(services, expect: 200) { try await client.call(.get, "/users/5101").status }
                #expect(read == (n == 0 ? [Self.key("users", "find"): 1] : [:]))
            }
            let generate = try await Self.commands(services, expect: 202) {
                try await client.generate(chatID: "5101", image: Self.drawing).0
            }
            // The charge (read, compare-and-set, ledger entry) and the record with the drawing in
            // it (one upsert): no GridFS write, no index checks, no re-reads. Before the drawing
            // moved into the record (2026-12-03): 6, with its chunk and its files document.
            #expect(
                generate == [
                    Self.key("users", "find"): 1, Self.key("users", "update"): 1,
                    Self.key("ledger", "insert"): 1, Self.key("generations", "findAndModify"): 1,
                ])
        }
    }

    /// The worker's commands for one generation (4 main + 2 first-time bonus images), read off
    /// its `ozh_mongo_commands_total` with its periodic passes pushed out of the way.
    @Test func aGenerationJobSendsThreeCommandsPerImageAndAFewAroundThem() async throws {
        try await GenerationStack.run(workers: 0) { client, services, stack in
            let port = try freeLoopbackPort()
            try await stack.startWorker(
                services.settings,
                [
                    "METRICS_PORT": "\(port)", "METRICS_HOST": "127.0.0.1", "AUDIT_INTERVAL_S": "0",
                    "REFUND_SWEEP_INTERVAL_MS": "3600000", "IMAGE_RETENTION_DAYS": "0",
                ])
            func commands() async throws -> [MongoCommandTally.Key: Int] { try await Self.workerCommands(port) }
            // Quiet once the first refund sweep (it writes its checkpoint) is over.
            let before = try await Self.quietWorkerCommands(port) { $0[Self.key("sweep_state", "update")] != nil }
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5201}"#).status == 201)
            let (status, accepted) = try await client.generate(chatID: "5201", image: Self.drawing)
            #expect(status == 202)
            let job = try #require(accepted["job_id"] as? String)
            let (_, answer) = try await client.call(.get, "/jobs/\(job)?wait=60")
            #expect(answer["status"] as? String == "succeeded", "\(answer)")
            let sent = Self.difference(try await commands(), before)
            // Its record with the drawing in it and its settlement state (concurrently), per image its chunk, its files document and one update of the record (the
            // checkpoint with its call), the success (read, compare-and-set, ledger entry),
            // and the record marked finished.
            #expect(
                sent == [
                    Self.key("generations", "find"): 1, Self.key("users", "find"): 2,
                    Self.key("images.chunks", "insert"): 6, Self.key("images.files", "insert"): 6,
                    Self.key("generations", "update"): 7, Self.key("users", "update"): 1,
                    Self.key("ledger", "insert"): 1,
                ], "\(sent)")
        }
    }

    /// A payment bought and credited: the gateway's commands (create_payment, the webhook) and
    /// the payment worker's (the creation at YooKassa, the confirmation that credits).
    @Test func aPaymentCreditedByItsWebhook() async throws {
        try await GenerationStack.runPayments(workers: 0, settings: ["RECONCILE_INTERVAL_MS": "3600000"]) { client, services, stack in
            let port = try freeLoopbackPort()
            try await stack.startPaymentWorker(services.settings, ["METRICS_PORT": "\(port)", "METRICS_HOST": "127.0.0.1"])
            // Quiet once the first reconciliation pass (it looks for due payments) is over.
            let workerBefore = try await Self.quietWorkerCommands(port) { $0[Self.key("payments", "find")] != nil }
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5301}"#).status == 201)
            let gatewayBefore = services.mongo.commands.snapshot
            let (status, body) = try await client.call(.post, "/users/5301/create_payment?wait=20", json: PaymentTestSupport.order)
            #expect(status == 200, "\(body)")
            let paymentID = try #require(body["payment_id"] as? String)
            let created = services.mongo.commands.since(gatewayBefore)
            let workerCreated = Self.difference(try await Self.workerCommands(port), workerBefore)
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
            let deadline = ContinuousClock.now + .seconds(20)
            while try await client.call(.get, "/users/5301").body["ozhivashki"] as? Int != 11, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            // `payments.aggregate` is the scrape's own pending-payments gauge, not the payment's.
            let workerAll = Self.difference(try await Self.workerCommands(port), workerBefore)
                .filter { $0.key != Self.key("payments", "aggregate") }
            let gatewayAll = services.mongo.commands.since(gatewayBefore).filter { $0.key.collection != "users" || $0.key.command != "find" }
            // The gateway: create_payment reads the user; the webhook asks whether the payment is ours.
            #expect(created == [Self.key("users", "find"): 1])
            #expect(gatewayAll == [Self.key("payments", "find"): 1], "\(gatewayAll)")
            // The worker: the creation records the payment and the user's copy; the confirmation
            // reads the record, credits through the ledger (read, compare-and-set, entry) and
            // updates both copies. The user's copy is added by an update that answers with the
            // entries, so keeping the latest USER_PAYMENTS_KEPT reads nothing more. Measured 2026-12-02: 3 + 8 (a re-check of a notification
            // that arrives twice adds a read).
            #expect(
                Self.difference(workerCreated, [:]).filter { $0.key != Self.key("payments", "aggregate") }
                    == [Self.key("payments", "find"): 1, Self.key("users", "findAndModify"): 1, Self.key("payments", "update"): 1])
            #expect(
                workerAll[Self.key("ledger", "insert")] == 1 && workerAll[Self.key("users", "findAndModify")] == 1
                    && workerAll[Self.key("users", "update")] == 2, "credited once: \(workerAll)")
            #expect(workerAll.values.reduce(0, +) <= 12, "\(workerAll)")
        }
    }

    /// A worker's `ozh_mongo_commands_total`, read off its metrics port.
    static func workerCommands(_ port: Int) async throws -> [MongoCommandTally.Key: Int] {
        let text = try MetricsText(try await metricsPortGet(port, "/metrics").body)
        return text.samples.filter { $0.name == "ozh_mongo_commands_total" && $0.value > 0 }.reduce(into: [:]) {
            $0[Self.key($1.labels["collection"] ?? "?", $1.labels["command"] ?? "?")] = Int($1.value)
        }
    }

    /// The worker's counts once its startup passes are over: `started` says the first periodic
    /// pass has run, and two scrapes 200 ms apart agree (but for `payments.aggregate`, which a
    /// scrape itself sends).
    static func quietWorkerCommands(_ port: Int, started: ([MongoCommandTally.Key: Int]) -> Bool) async throws
        -> [MongoCommandTally.Key: Int]
    {
        func settled(_ counts: [MongoCommandTally.Key: Int]) -> [MongoCommandTally.Key: Int] {
            counts.filter { $0.key != key("payments", "aggregate") }
        }
        var before = try await workerCommands(port)
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(200))
            let now = try await workerCommands(port)
            if started(now), settled(now) == settled(before) { return now }
            before = now
        }
        throw TestSetupError("the worker never went quiet: \(before)")
    }

    static func difference(_ after: [MongoCommandTally.Key: Int], _ before: [MongoCommandTally.Key: Int]) -> [MongoCommandTally.Key: Int] {
        after.reduce(into: [:]) { result, entry in
            let delta = entry.value - (before[entry.key] ?? 0)
            if delta != 0 { result[entry.key] = delta }
        }
    }
}
