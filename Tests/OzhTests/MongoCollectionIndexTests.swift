import Foundation
import TestSupport
import Testing

@testable import OzhMongo

@Suite(.needsMongo) struct MongoCollectionIndexTests {
    @Test func uniqueIndexRejectsDuplicates() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.createIndex(["email": 1], unique: true)
            try await c.insertOne(["email": "a@x"])
            do {
                try await c.insertOne(["email": "a@x"])
                Issue.record("second insert succeeded")
            } catch let error as MongoError {
                #expect(error.isDuplicateKey, "got \(error)")
            }
            try await c.insertOne(["email": "b@x"])
            do {
                try await c.updateOne(["email": "b@x"], ["$set": ["email": "a@x"]])
                Issue.record("duplicate update succeeded")
            } catch let error as MongoError {
                #expect(error.isDuplicateKey, "got \(error)")
            }
            #expect(try await c.countDocuments() == 2)
        }
    }

    @Test func ttlIndexIsAccepted() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.createIndex(["expiresAt": 1], name: "ttl", expireAfterSeconds: 3600)
            try await c.createIndex(["a": 1, "b": -1])
            #expect(MongoCollection.indexName(["a": 1, "b": -1]) == "a_1_b_-1")
        }
    }

    @Test func duplicatesInInsertManyAndFindOneAndUpdate() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.createIndex(["code": 1], name: "code_unique", unique: true)
            try await c.insertOne(["code": "A", "n": 1])
            await #expect(throws: MongoError.self) {
                try await c.insertMany([["code": "B"], ["code": "A"]])
            }
            do {
                try await c.insertMany([["code": "C"], ["code": "A"]])
            } catch let error as MongoError {
                #expect(error.isDuplicateKey, "got \(error)")
            }
            do {
                _ = try await c.findOneAndUpdate(["code": "B"], ["$set": ["code": "A"]])
                Issue.record("duplicate findOneAndUpdate succeeded")
            } catch let error as MongoError {
                #expect(error.isDuplicateKey, "got \(error)")
            }
        }
    }

    @Test func decodingFailuresSurfaceAsDecodingError() async throws {
        struct Strict: Decodable { var n: Int }
        try await MongoTestSupport.withCollection { c in
            try await c.insertOne(["n": "not a number"])
            await #expect(throws: DecodingError.self) { _ = try await c.find([:], as: Strict.self) }
        }
    }
}
