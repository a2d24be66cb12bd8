import Foundation
import TestSupport
import Testing

@Suite(.needsMongo) struct MongoCollectionUpdateTests {
    @Test func updateOneWithSetAndInc() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertOne(["_id": "k", "count": 1, "name": "old"])
            let result = try await c.updateOne(["_id": "k"], ["$set": ["name": "new"], "$inc": ["count": 2]])
            #expect(result.matchedCount == 1)
            #expect(result.modifiedCount == 1)
            #expect(result.upsertedId == nil)
            let doc = try #require(try await c.findOne(["_id": "k"]))
            #expect(doc["name"] == "new")
            #expect(doc["count"]?.int64Value == 3)
            let none = try await c.updateOne(["_id": "missing"], ["$set": ["x": 1]])
            #expect(none.matchedCount == 0)
        }
    }

    @Test func updateManyTouchesAllMatches() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertMany([["g": 1], ["g": 1], ["g": 2]])
            let result = try await c.updateMany(["g": 1], ["$set": ["seen": true]])
            #expect(result.matchedCount == 2)
            #expect(result.modifiedCount == 2)
            #expect(try await c.countDocuments(["seen": true]) == 2)
        }
    }

    @Test func upsertCreatesADocument() async throws {
        try await MongoTestSupport.withCollection { c in
            let result = try await c.updateOne(["slug": "new"], ["$set": ["title": "T"]], upsert: true)
            #expect(result.matchedCount == 0)
            let id = try #require(result.upsertedId)
            let doc = try #require(try await c.findOne(["_id": id]))
            #expect(doc["slug"] == "new")
            #expect(doc["title"] == "T")
        }
    }

    @Test func findOneAndUpdateReturnsNewOrOld() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertOne(["_id": "ctr", "v": 1])
            let new = try await c.findOneAndUpdate(["_id": "ctr"], ["$inc": ["v": 1]])
            #expect(new?["v"]?.int64Value == 2)
            let old = try await c.findOneAndUpdate(["_id": "ctr"], ["$inc": ["v": 1]], returnNew: false)
            #expect(old?["v"]?.int64Value == 2)
            #expect(try await c.findOne(["_id": "ctr"])?["v"]?.int64Value == 3)
            let missing = try await c.findOneAndUpdate(["_id": "nope"], ["$inc": ["v": 1]])
            #expect(missing == nil)
            let upserted = try await c.findOneAndUpdate(["_id": "fresh"], ["$inc": ["v": 5]], upsert: true)
            #expect(upserted?["v"]?.int64Value == 5)
        }
    }

    @Test func findOneAndUpdateHonoursSort() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertMany([["q": "a", "p": 1], ["q": "a", "p": 3], ["q": "a", "p": 2]])
            let doc = try await c.findOneAndUpdate(["q": "a"], ["$set": ["taken": true]], sort: ["p": -1])
            #expect(doc?["p"] == 3)
            #expect(doc?["taken"] == true)
        }
    }

    @Test func concurrentFindOneAndUpdateIncrements() async throws {
        try await MongoTestSupport.withCollection { c in
            try await c.insertOne(["_id": "counter", "n": 0])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask { _ = try await c.findOneAndUpdate(["_id": "counter"], ["$inc": ["n": 1]]) }
                }
                try await group.waitForAll()
            }
            #expect(try await c.findOne(["_id": "counter"])?["n"]?.int64Value == 50)
        }
    }

}
