import Foundation
import TestSupport
import Testing

@testable import OzhMongo

/// Connects tests to the server named by `OZH_TEST_MONGO_URI`, one fresh database per test.
/// Suites using it carry `.needsMongo`, so without the server they are skipped, not failed.
enum MongoTestSupport {
    /// The URI from the environment, or a thrown ``TestSetupError`` naming the variable.
    static func uri() throws -> String { try TestServers.mongoURI }

    /// A client on a unique `test_<random>` database, dropped and shut down after `body`.
    static func withClient<R>(_ body: (MongoClient) async throws -> R) async throws -> R {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let client = try MongoClient(uri: try uri(), database: name)
        defer { client.shutdown() }
        do {
            let result = try await body(client)
            try await client.dropDatabase()
            return result
        } catch {
            try? await client.dropDatabase()
            throw error
        }
    }

    /// A collection with a unique name in a fresh database.
    static func withCollection<R>(_ body: (MongoCollection) async throws -> R) async throws -> R {
        try await withClient { try await body($0.collection("c_\(UInt32.random(in: 0...UInt32.max))")) }
    }
}
