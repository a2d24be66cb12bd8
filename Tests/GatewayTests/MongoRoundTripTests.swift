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
}
