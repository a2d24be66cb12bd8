import Foundation
import Testing
@testable import Shared

/// Connects tests to the server named by `OZH_TEST_MONGO_URI`, one fresh database per test.
enum MongoTestSupport {
    struct MissingURI: Error, CustomStringConvertible {
        var description: String {
            "OZH_TEST_MONGO_URI is not set: start MongoDB (or SecantusDB) and export e.g. "
                + "OZH_TEST_MONGO_URI=mongodb://127.0.0.1:27991 before running the Mongo tests"
        }
    }

    /// The URI from the environment, or a thrown `MissingURI` (the test fails, it is not skipped).
    static func uri() throws -> String {
        guard let uri = ProcessInfo.processInfo.environment["OZH_TEST_MONGO_URI"], !uri.isEmpty else {
            throw MissingURI()
        }
        return uri
    }

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
