import Foundation
import TestSupport
import Testing

@testable import OzhMongo

@Suite(.needsMongo) struct MongoCollectionTests {
    struct User: Codable, Equatable {
        var _id: ObjectId
        var email: String
        var credits: Int
    }

    @Test func insertAndFindWithSortLimitSkipProjection() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertMany((1...5).map { ["n": .int64(Int64($0)), "even": .bool($0 % 2 == 0)] })
            let top = try await c.find([:], sort: ["n": -1], limit: 2)
            #expect(top.map { $0["n"] } == [5, 4])
            let skipped = try await c.find(["even": false], sort: ["n": 1], skip: 1)
            #expect(skipped.map { $0["n"] } == [3, 5])
            let projected = try #require(try await c.findOne(["n": 2], projection: ["n": 1, "_id": 0]))
            #expect(projected == ["n": 2])
            #expect(try await c.findOne(["n": 99]) == nil)
        }
    }

    @Test func genericInsertAndFind() async throws {
        try await MongoTestSupport.withCollection { c in
            let users = (0..<3).map { User(_id: ObjectId(), email: "u\($0)@x", credits: $0 * 10) }
            try await c.insertMany(users)
            let found = try await c.find([:], sort: ["credits": 1], as: User.self)
            #expect(found == users)
            #expect(try await c.findOne(["email": "u1@x"], as: User.self) == users[1])
        }
    }

    @Test func insertGeneratesIdWhenMissing() async throws {
        try await MongoTestSupport.withCollection { c in
            let id = try await c.insertOne(["a": 1])
            #expect(id.objectIdValue != nil)
            let doc = try #require(try await c.findOne(["_id": id]))
            #expect(doc["a"] == 1)
        }
    }

    @Test func countAndDelete() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertMany((0..<6).map { ["i": .int64(Int64($0)), "odd": .bool($0 % 2 == 1)] })
            #expect(try await c.countDocuments() == 6)
            #expect(try await c.countDocuments(["odd": true]) == 3)
            #expect(try await c.deleteOne(["odd": true]) == 1)
            #expect(try await c.deleteMany(["odd": true]) == 2)
            #expect(try await c.deleteMany(["odd": true]) == 0)
            #expect(try await c.countDocuments() == 3)
        }
    }

    @Test func aggregateGroupSum() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertMany([
                ["user": "a", "amount": 5], ["user": "b", "amount": 7], ["user": "a", "amount": 10],
            ])
            let totals = try await c.aggregate([
                ["$group": ["_id": "$user", "total": ["$sum": "$amount"]]],
                ["$sort": ["_id": 1]],
            ])
            #expect(totals.map { $0["_id"] } == ["a", "b"])
            #expect(totals.map { $0["total"]?.int64Value } == [15, 7])
        }
    }

}
