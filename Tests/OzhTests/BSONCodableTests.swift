import Foundation
import Testing

@testable import OzhMongo

/// Encoder/decoder behaviour without a server.
@Suite struct BSONCodableTests {
    struct Inner: Codable, Equatable {
        var name: String
        var score: Int
    }

    struct Everything: Codable, Equatable {
        var _id: ObjectId
        var big: Int64
        var int: Int
        var small: Int32
        var tiny: UInt8
        var ratio: Double
        var flag: Bool
        var when: Date
        var nothing: BSON
        var nested: Inner
        var map: [String: Int]
        var list: [Int]
        var docs: [Inner]
        var blob: Data
        var missing: String?
    }

    static let sample = Everything(
        _id: ObjectId(), big: 9_007_199_254_740_993, int: -42, small: 7, tiny: 255, ratio: 0.1,
        flag: true, when: Date(timeIntervalSince1970: 1_700_000_000.123), nothing: .null,
        nested: Inner(name: "n", score: 3), map: ["a": 1, "b": 2], list: [3, 1, 2],
        docs: [Inner(name: "x", score: 1), Inner(name: "y", score: 2)],
        blob: Data([0, 1, 2, 255]), missing: nil)

    @Test func roundTripsThroughEncoderAndDecoder() throws {
        let document = try BSONEncoder().encode(Self.sample)
        #expect(try BSONDecoder().decode(Everything.self, from: document) == Self.sample)
    }

    @Test func mapsSwiftTypesToBSONTypes() throws {
        let d = try BSONEncoder().encode(Self.sample)
        #expect(d["_id"] == .objectId(Self.sample._id))
        #expect(d["big"] == .int64(9_007_199_254_740_993))
        #expect(d["int"] == .int64(-42))
        #expect(d["small"] == .int32(7))
        #expect(d["tiny"] == .int64(255))
        #expect(d["ratio"] == .double(0.1))
        #expect(d["when"] == .date(Date(timeIntervalSince1970: 1_700_000_000.123)))
        #expect(d["nothing"] == .null)
        #expect(d["nested"] == ["name": "n", "score": 3])
        #expect(d["map"]?.documentValue?["b"] == .int64(2))
        #expect(d["list"] == [3, 1, 2])
        #expect(d["docs"]?.arrayValue?.count == 2)
        #expect(d["blob"] == .binary(Data([0, 1, 2, 255])))
        #expect(d["missing"] == nil, "encodeIfPresent omits nil optionals")
        #expect(d.keys.first == "_id", "key order follows the CodingKeys")
    }

    @Test func explicitNilEncodesAsNull() throws {
        struct Explicit: Encodable {
            var value: Int?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(value, forKey: .value)
            }
            enum CodingKeys: CodingKey { case value }
        }
        #expect(try BSONEncoder().encode(Explicit(value: nil))["value"] == .null)
    }

    @Test func optionalsDecodeFromMissingAndNull() throws {
        struct Opt: Codable, Equatable { var a: Int?; var b: String? }
        let decoded = try BSONDecoder().decode(Opt.self, from: ["a": .null])
        #expect(decoded == Opt(a: nil, b: nil))
    }

    @Test func integersAcceptAnyIntegralNumber() throws {
        struct N: Codable { var a: Int; var b: Int32; var c: Int64 }
        let n = try BSONDecoder().decode(N.self, from: ["a": .int32(1), "b": .int64(2), "c": .double(3)])
        #expect(n.a == 1 && n.b == 2 && n.c == 3)
        #expect(BSON.double(2.5).int64Value == nil)
        #expect(BSON.int32(5).int64Value == 5)
    }

    @Test func rangeAndTypeErrorsCarryTheCodingPath() throws {
        struct Leaf: Codable { var v: Int8 }
        struct Root: Codable { var leaf: Leaf; var list: [Int] }
        do {
            _ = try BSONDecoder().decode(Root.self, from: ["leaf": ["v": 300], "list": []])
            Issue.record("expected an overflow error")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map(\.stringValue) == ["leaf", "v"])
        }
        do {
            _ = try BSONDecoder().decode(Root.self, from: ["leaf": ["v": 1], "list": [1, "two"]])
            Issue.record("expected a type mismatch")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["list", "Index 1"])
        }
        do {
            _ = try BSONDecoder().decode(Root.self, from: ["list": []])
            Issue.record("expected keyNotFound")
        } catch DecodingError.keyNotFound(let key, _) {
            #expect(key.stringValue == "leaf")
        }
        #expect(throws: DecodingError.self) {
            try BSONDecoder().decode(Leaf.self, from: ["v": 1.5])
        }
    }

    @Test func objectIdIsHexInJSONButNativeInBSON() throws {
        struct Holder: Codable, Equatable { var id: ObjectId }
        let holder = Holder(id: ObjectId(hex: "65a1b2c3d4e5f60718293a4b")!)
        let json = String(decoding: try JSONEncoder().encode(holder), as: UTF8.self)
        #expect(json == #"{"id":"65a1b2c3d4e5f60718293a4b"}"#)
        #expect(try JSONDecoder().decode(Holder.self, from: Data(json.utf8)) == holder)
        #expect(try BSONEncoder().encode(holder)["id"] == .objectId(holder.id))
        #expect(ObjectId(hex: "zz") == nil)
        #expect(ObjectId() != ObjectId())
    }

    @Test func documentIsOrderedAndEditable() {
        var d: BSONDocument = ["b": 1, "a": "x"]
        d["c"] = true
        d["b"] = nil
        #expect(d.keys == ["a", "c"])
        #expect(d.count == 2)
        d["a"] = .null
        #expect(d["a"] == .null)
        #expect(Array(d).map(\.key) == ["a", "c"])
    }

    @Test func passesBSONValuesThrough() throws {
        struct Raw: Codable, Equatable { var any: BSON; var doc: BSONDocument }
        let raw = Raw(any: ["k": [1, "s", nil]], doc: ["x": .int32(1)])
        let encoded = try BSONEncoder().encode(raw)
        #expect(encoded["doc"] == ["x": .int32(1)])
        #expect(try BSONDecoder().decode(Raw.self, from: encoded) == raw)
    }
}
