import Foundation
import Testing

@testable import OzhMongo

/// The libbson bridge, without a server.
@Suite struct BSONNativeTests {
    @Test func everyCaseRoundTripsThroughLibbson() throws {
        let oid = ObjectId()
        let document: BSONDocument = [
            "double": 1.5, "string": "s\u{0}t", "empty": "", "doc": ["inner": .int32(1)],
            "array": [1, "two", ["three": 3], [4]], "binary": .binary(Data([9, 8, 7])), "noBytes": .binary(Data()),
            "oid": .objectId(oid), "bool": true, "date": .date(Date(timeIntervalSince1970: -1.5)),
            "null": nil, "int32": .int32(Int32.min), "int64": .int64(Int64.min),
        ]
        let bytes = try BSONNative.bytes(of: document)
        #expect(try BSONNative.document(fromBytes: bytes) == document)
    }

    @Test func rejectsWhatBSONCannotHold() throws {
        #expect(throws: MongoError.self) { try BSONNative.bytes(of: ["a\u{0}b": 1]) }
        #expect(throws: MongoError.self) {
            try BSONNative.bytes(of: ["d": .date(Date(timeIntervalSince1970: .infinity))])
        }
        #expect(throws: MongoError.self) { try BSONNative.document(fromBytes: Data([1, 2, 3])) }
    }

    @Test func unsupportedTypesFailWithDecodingError() throws {
        // {"ts": Timestamp(1, 1)}: type 0x11 is not modelled.
        let raw = Data([0x11, 0, 0, 0, 0x11, 0x74, 0x73, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        #expect {
            try BSONNative.document(fromBytes: raw)
        } throws: { error in
            (error as? MongoError)?.code == "bson_decoding"
        }
    }
}
