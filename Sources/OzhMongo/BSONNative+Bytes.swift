import CMongoC
import Foundation

/// Raw BSON bytes ↔ `BSONDocument`, through libbson (used by tests to exercise the bridge
/// without a server, and handy for storing documents verbatim).
extension BSONNative {
    /// The BSON encoding of `document`.
    package static func bytes(of document: BSONDocument) throws -> Data {
        let native = try make(document)
        var length: UInt32 = 0
        guard let buffer = bson_destroy_with_steal(native, true, &length) else {
            throw MongoError.encoding("bson_destroy_with_steal failed")
        }
        defer { bson_free(buffer) }
        return Data(bytes: buffer, count: Int(length))
    }

    /// Parses a complete BSON document from `bytes`.
    package static func document(fromBytes bytes: Data) throws -> BSONDocument {
        let native: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return bson_new_from_data(base.assumingMemoryBound(to: UInt8.self), raw.count)
        }
        guard let native else { throw MongoError.decoding("Invalid BSON bytes") }
        defer { bson_destroy(native) }
        return try document(from: native)
    }
}
