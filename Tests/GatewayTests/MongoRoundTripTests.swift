import Foundation
import Testing
@testable import APIGateway
@testable import Shared

/// How many MongoDB commands the hot requests send, counted by libmongoc's command monitoring
/// on the gateway's own client (``MongoClient/commands``): the figures of `bench/README.md`'s
/// commands-per-request table, held as upper bounds so a change that adds a round trip fails.
@Suite("MongoDB round trips", .serialized)
struct MongoRoundTripTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#3366ff")

    /// Runs `body` and returns the commands the gateway's client sent meanwhile.
    static func commands(_ services: GatewayServices, expect status: Int, _ body: () async throws -> Int) async throws -> [MongoCommandTally.Key: Int] {
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
            // Within ACTIVITY_RESOLUTION_S of the registration a read writes nothing.
            for _ in 0..<3 {
                let read = try await Self.commands(services, expect: 200) { try await client.call(.get, "/users/5101").status }
                #expect(read == [Self.key("users", "find"): 1])
            }
            let generate = try await Self.commands(services, expect: 202) {
                try await client.generate(chatID: "5101", image: Self.drawing).0
            }
            // The charge (read, compare-and-set, ledger entry), the drawing (its chunk, its
            // files document) and the record (one upsert): no index checks, no re-reads.
            #expect(generate == [Self.key("users", "find"): 1, Self.key("users", "findAndModify"): 1,
                                 Self.key("ledger", "insert"): 1, Self.key("images.chunks", "insert"): 1,
                                 Self.key("images.files", "insert"): 1, Self.key("generations", "findAndModify"): 1])
        }
    }

    /// The worker's commands for one generation (4 main + 2 first-time bonus images), read off
    /// its `ozh_mongo_commands_total` with its periodic passes pushed out of the way.
    @Test func aGenerationJobSendsThreeCommandsPerImageAndAFewAroundThem() async throws {
        try await GenerationStack.run(workers: 0) { client, services, stack in
            let port = try freeLoopbackPort()
            try await stack.startWorker(services.settings, [
                "METRICS_PORT": "\(port)", "METRICS_HOST": "127.0.0.1", "AUDIT_INTERVAL_S": "0",
                "REFUND_SWEEP_INTERVAL_MS": "3600000", "IMAGE_RETENTION_DAYS": "0",
            ])
            func commands() async throws -> [MongoCommandTally.Key: Int] {
                let text = try MetricsText(try await metricsPortGet(port, "/metrics").body)
                return text.samples.filter { $0.name == "ozh_mongo_commands_total" && $0.value > 0 }.reduce(into: [:]) {
                    $0[Self.key($1.labels["collection"] ?? "?", $1.labels["command"] ?? "?")] = Int($1.value)
                }
            }
            // The startup passes (indexes, the first refund sweep) are over once two scrapes agree.
            var before = try await commands()
            for _ in 0..<100 {
                try await Task.sleep(for: .milliseconds(200))
                let now = try await commands()
                if now == before { break }
                before = now
            }
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5201}"#).status == 201)
            let (status, accepted) = try await client.generate(chatID: "5201", image: Self.drawing)
            #expect(status == 202)
            let job = try #require(accepted["job_id"] as? String)
            let (_, answer) = try await client.call(.get, "/jobs/\(job)?wait=60")
            #expect(answer["status"] as? String == "succeeded", "\(answer)")
            let after = try await commands()
            let sent = after.reduce(into: [MongoCommandTally.Key: Int]()) { result, entry in
                let delta = entry.value - (before[entry.key] ?? 0)
                if delta != 0 { result[entry.key] = delta }
            }
            // Its record and its settlement state (concurrently), the drawing (files + chunks),
            // per image its chunk, its files document and one update of the record (the
            // checkpoint with its call), the success (read, compare-and-set, ledger entry),
            // and the record marked finished.
            #expect(sent == [Self.key("generations", "find"): 1, Self.key("users", "find"): 2,
                             Self.key("images.files", "find"): 1, Self.key("images.chunks", "find"): 1,
                             Self.key("images.chunks", "insert"): 6, Self.key("images.files", "insert"): 6,
                             Self.key("generations", "update"): 7, Self.key("users", "findAndModify"): 1,
                             Self.key("ledger", "insert"): 1], "\(sent)")
        }
    }
}
