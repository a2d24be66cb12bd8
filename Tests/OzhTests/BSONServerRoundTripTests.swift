import Foundation
import TestSupport
import Testing

@testable import OzhMongo

/// Each supported type survives insert → find on the real server with its BSON type intact.
@Suite(.needsMongo) struct BSONServerRoundTripTests {
    struct Box<T: Codable & Equatable>: Codable, Equatable {
        var _id: ObjectId
        var value: T
    }

    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
        var child: Leaf
    }

    struct Leaf: Codable, Equatable {
        var depth: Int
    }

    /// Inserts `value`, reads it back decoded and raw.
    func roundTrip<T: Codable & Equatable>(_ value: T) async throws -> (decoded: T, raw: BSON) {
        try await MongoTestSupport.withCollection { collection in
            let box = Box(_id: ObjectId(), value: value)
            let id = try await collection.insertOne(box)
            #expect(id == .objectId(box._id))
            let decoded = try #require(try await collection.findOne(["_id": id], as: Box<T>.self))
            let raw = try #require(try await collection.findOne(["_id": id]))
            #expect(raw["_id"] == .objectId(box._id))
            return (decoded.value, try #require(raw["value"]))
        }
    }

    @Test func int64AboveDoublePrecision() async throws {
        let big: Int64 = 9_007_199_254_740_993 // 2^53 + 1
        let (decoded, raw) = try await roundTrip(big)
        #expect(decoded == big)
        #expect(raw == .int64(big))
        let (maxDecoded, _) = try await roundTrip(Int64.max)
        #expect(maxDecoded == .max)
    }

    @Test func intIsStoredAsInt64() async throws {
        let (decoded, raw) = try await roundTrip(-123)
        #expect(decoded == -123)
        #expect(raw == .int64(-123))
    }

    @Test func int32StaysInt32() async throws {
        let (decoded, raw) = try await roundTrip(Int32(-7))
        #expect(decoded == -7)
        #expect(raw == .int32(-7))
    }

    @Test func double() async throws {
        let (decoded, raw) = try await roundTrip(3.141592653589793)
        #expect(decoded == 3.141592653589793)
        #expect(raw == .double(3.141592653589793))
    }

    @Test func bool() async throws {
        let (decoded, raw) = try await roundTrip(false)
        #expect(decoded == false)
        #expect(raw == .bool(false))
    }

    @Test func dateWithMilliseconds() async throws {
        let date = Date(timeIntervalSince1970: 1_712_345_678.901)
        let (decoded, raw) = try await roundTrip(date)
        #expect(decoded == date)
        #expect(raw == .date(date))
    }

    @Test func explicitNullStaysNull() async throws {
        let (decoded, raw) = try await roundTrip(BSON.null)
        #expect(decoded == .null)
        #expect(raw == .null)
    }

    @Test func nestedDocuments() async throws {
        let inner = Inner(name: "outer", tags: ["a", "b"], child: Leaf(depth: 2))
        let (decoded, raw) = try await roundTrip(inner)
        #expect(decoded == inner)
        #expect(raw.documentValue?["child"] == ["depth": 2])
    }

    @Test func stringIntMaps() async throws {
        let map = ["one": 1, "two": 2, "big": Int.max]
        let (decoded, raw) = try await roundTrip(map)
        #expect(decoded == map)
        #expect(raw.documentValue?["big"] == .int64(Int64.max))
    }

    @Test func arraysOfValuesAndDocuments() async throws {
        let (ints, rawInts) = try await roundTrip([5, 3, 9])
        #expect(ints == [5, 3, 9])
        #expect(rawInts == [5, 3, 9])
        let leaves = [Leaf(depth: 1), Leaf(depth: 2)]
        let (docs, rawDocs) = try await roundTrip(leaves)
        #expect(docs == leaves)
        #expect(rawDocs == [["depth": 1], ["depth": 2]])
        let (empty, _) = try await roundTrip([String]())
        #expect(empty.isEmpty)
    }

    @Test func binaryData() async throws {
        var bytes = Data((0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        bytes.append(0)
        let (decoded, raw) = try await roundTrip(bytes)
        #expect(decoded == bytes)
        #expect(raw == .binary(bytes))
    }

    @Test func objectIds() async throws {
        let oid = ObjectId()
        let (decoded, raw) = try await roundTrip(oid)
        #expect(decoded == oid)
        #expect(raw == .objectId(oid))
    }

    @Test func stringsWithUnicodeAndNul() async throws {
        let text = "héllo \u{1F600} a\u{0}b"
        let (decoded, raw) = try await roundTrip(text)
        #expect(decoded == text)
        #expect(raw == .string(text))
    }

    @Test func wholeStructWithEveryType() async throws {
        let sample = BSONCodableTests.sample
        try await MongoTestSupport.withCollection { collection in
            try await collection.insertOne(sample)
            let back = try await collection.findOne(["_id": .objectId(sample._id)], as: BSONCodableTests.Everything.self)
            #expect(back == sample)
        }
    }
}
