import Foundation
import TestSupport
import Testing

@testable import OzhMongo

@Suite struct MongoClientTests {
    @Test(.needsMongo) func pingsTheServer() async throws {
        try await MongoTestSupport.withClient { client in
            try await client.ping()
        }
    }

    @Test func invalidURIIsRejected() {
        #expect(throws: MongoError.invalidURI) {
            _ = try MongoClient(uri: "not-a-mongo-uri", database: "x")
        }
    }

    @Test func unreachableServerFailsFast() async throws {
        let client = try MongoClient(uri: "mongodb://127.0.0.1:1", database: "nowhere")
        defer { client.shutdown() }
        let start = ContinuousClock.now
        do {
            try await client.ping()
            Issue.record("ping to port 1 succeeded")
        } catch let error as MongoError {
            guard case .unavailable = error else {
                Issue.record("expected .unavailable, got \(error)")
                return
            }
            #expect(error.code == "mongo_unavailable")
        }
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    @Test(.needsMongo) func shutdownIsIdempotentAndRefusesWork() async throws {
        let client = try MongoClient(uri: try MongoTestSupport.uri(), database: "unused_shutdown")
        client.shutdown()
        client.shutdown()
        await #expect(throws: MongoError.self) { try await client.ping() }
    }

    @Test func errorCodesAreStable() {
        #expect(MongoError.duplicateKey("x").code == "mongo_duplicate_key")
        #expect(MongoError.duplicateKey("x").isDuplicateKey)
        #expect(!MongoError.notFound.isDuplicateKey)
        #expect(MongoError.server(code: 2, message: "m").code == "mongo_server_error")
        #expect(MongoError.encoding("e").code == "bson_encoding")
        #expect(MongoError.decoding("d").code == "bson_decoding")
        #expect(MongoError.invalidURI.code == "mongo_invalid_uri")
        #expect(MongoError.notFound.code == "mongo_not_found")
    }
}
