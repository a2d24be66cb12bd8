import CMongoC
import Foundation

/// Reading `bson_t` into `BSONDocument` by walking a `bson_iter_t`.
extension BSONNative {
    /// Decodes the whole document at `native`.
    static func document(from native: OpaquePointer) throws -> BSONDocument {
        try withIterator { iter in
            guard bson_iter_init(iter, native) else { throw MongoError.decoding("Invalid BSON document") }
            return try readDocument(iter)
        }
    }

    /// Decodes only the top-level value under `key` (nil when absent), ignoring all other keys.
    static func value(forKey key: String, in native: OpaquePointer) throws -> BSON? {
        try withIterator { iter in
            guard bson_iter_init_find(iter, native, key) else { return nil }
            return try readValue(iter)
        }
    }

    /// The string value of the first field of `native` (a command's collection: `find`,
    /// `insert`…), or of `key` when given (`getMore`'s `collection`); nil when not a string.
    static func leadingString(in native: OpaquePointer, key: String? = nil) -> String? {
        withIterator { iter in
            if let key {
                guard bson_iter_init_find(iter, native, key) else { return nil }
            } else {
                guard bson_iter_init(iter, native), bson_iter_next(iter) else { return nil }
            }
            guard bson_iter_type(iter) == BSON_TYPE_UTF8, let value = bson_iter_utf8(iter, nil) else { return nil }
            return String(cString: value)
        }
    }

    /// Runs `body` with a heap `bson_iter_t`.
    ///
    /// Like `bson_t`, `bson_iter_t` is declared 128-byte aligned (80 bytes of payload), so
    /// Swift imports it as opaque: reserve 128 zeroed bytes at 128-byte alignment by hand.
    private static func withIterator<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
        return try body(OpaquePointer(raw))
    }

    private static func readDocument(_ iter: OpaquePointer) throws -> BSONDocument {
        var document = BSONDocument()
        while bson_iter_next(iter) {
            let key = String(cString: bson_iter_key(iter))
            document[key] = try readValue(iter)
        }
        return document
    }

    private static func readArray(_ iter: OpaquePointer) throws -> [BSON] {
        var array: [BSON] = []
        while bson_iter_next(iter) { array.append(try readValue(iter)) }
        return array
    }

    private static func readValue(_ iter: OpaquePointer) throws -> BSON {
        let type = bson_iter_type(iter)
        switch type {
        case BSON_TYPE_DOUBLE: return .double(bson_iter_double(iter))
        case BSON_TYPE_UTF8:
            var length: UInt32 = 0
            guard let p = bson_iter_utf8(iter, &length) else { return .string("") }
            let bytes = UnsafeRawBufferPointer(start: p, count: Int(length))
            return .string(String(decoding: bytes, as: UTF8.self))
        case BSON_TYPE_DOCUMENT, BSON_TYPE_ARRAY:
            return try withIterator { child in
                guard bson_iter_recurse(iter, child) else { throw MongoError.decoding("Corrupt embedded document") }
                return type == BSON_TYPE_ARRAY ? .array(try readArray(child)) : .document(try readDocument(child))
            }
        case BSON_TYPE_BINARY:
            var subtype = BSON_SUBTYPE_BINARY
            var length: UInt32 = 0
            var bytes: UnsafePointer<UInt8>?
            bson_iter_binary(iter, &subtype, &length, &bytes)
            guard let bytes, length > 0 else { return .binary(Data()) }
            return .binary(Data(bytes: bytes, count: Int(length)))
        case BSON_TYPE_OID: return .objectId(objectId(bson_iter_oid(iter).pointee))
        case BSON_TYPE_BOOL: return .bool(bson_iter_bool(iter))
        case BSON_TYPE_DATE_TIME:
            return .date(Date(timeIntervalSince1970: TimeInterval(bson_iter_date_time(iter)) / 1000))
        case BSON_TYPE_NULL: return .null
        case BSON_TYPE_INT32: return .int32(bson_iter_int32(iter))
        case BSON_TYPE_INT64: return .int64(bson_iter_int64(iter))
        default:
            let key = String(cString: bson_iter_key(iter))
            throw MongoError.decoding(
                "Unsupported BSON type 0x\(String(type.rawValue, radix: 16)) at key \"\(key)\"")
        }
    }
}
