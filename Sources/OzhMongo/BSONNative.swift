import CMongoC
import Foundation

/// The only bridge between `BSONDocument` and libbson's `bson_t`.
///
/// `bson_t` is over-aligned (128 bytes) and imported as an opaque pointer, so documents
/// are always heap-allocated by libbson (`bson_new`) and passed around as pointers.
package enum BSONNative {
    /// 12 fresh ObjectId bytes from libbson's thread-safe default context.
    static func newObjectIdBytes() -> [UInt8] {
        var oid = bson_oid_t()
        bson_oid_init(&oid, nil)
        return withUnsafeBytes(of: &oid.bytes) { Array($0) }
    }

    /// A libbson `bson_oid_t` holding `id`'s bytes.
    static func oid(_ id: ObjectId) -> bson_oid_t {
        var oid = bson_oid_t()
        withUnsafeMutableBytes(of: &oid.bytes) { $0.copyBytes(from: id.bytes) }
        return oid
    }

    /// An `ObjectId` from a libbson `bson_oid_t`.
    static func objectId(_ oid: bson_oid_t) -> ObjectId {
        var oid = oid
        return withUnsafeBytes(of: &oid.bytes) { ObjectId(bytes: Array($0))! }
    }

    /// A new heap `bson_t` holding `document`; the caller must `bson_destroy` it.
    static func make(_ document: BSONDocument) throws -> OpaquePointer {
        guard let native = bson_new() else { throw MongoError.encoding("bson_new failed") }
        do {
            for (key, value) in document { try append(value, key: key, to: native) }
        } catch {
            bson_destroy(native)
            throw error
        }
        return native
    }

    /// A new heap `bson_t` with `elements` under keys "0", "1", …; the caller must `bson_destroy` it.
    static func makeArray(_ elements: [BSON]) throws -> OpaquePointer {
        guard let native = bson_new() else { throw MongoError.encoding("bson_new failed") }
        do {
            for (index, value) in elements.enumerated() { try append(value, key: String(index), to: native) }
        } catch {
            bson_destroy(native)
            throw error
        }
        return native
    }

    /// Runs `body` with a temporary `bson_t` for `document` (nil stays nil).
    static func with<R>(_ document: BSONDocument?, _ body: (OpaquePointer?) throws -> R) throws -> R {
        guard let document else { return try body(nil) }
        let native = try make(document)
        defer { bson_destroy(native) }
        return try body(native)
    }

    private static let emptyBytes: [UInt8] = [0]

    private static func append(_ value: BSON, key: String, to native: OpaquePointer) throws {
        guard !key.utf8.contains(0) else { throw MongoError.encoding("Key \"\(key)\" contains a NUL byte") }
        let ok: Bool = try key.withCString { k in
            switch value {
            case .double(let d): return bson_append_double(native, k, -1, d)
            case .string(let s): return appendString(s, key: k, to: native)
            case .document(let d):
                let child = try make(d)
                defer { bson_destroy(child) }
                return bson_append_document(native, k, -1, child)
            case .array(let a):
                let child = try makeArray(a)
                defer { bson_destroy(child) }
                return bson_append_array(native, k, -1, child)
            case .binary(let data):
                return data.withUnsafeBytes { raw in
                    emptyBytes.withUnsafeBufferPointer { empty in
                        let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty.baseAddress!
                        return bson_append_binary(native, k, -1, BSON_SUBTYPE_BINARY, base, UInt32(raw.count))
                    }
                }
            case .objectId(let id):
                var oid = oid(id)
                return bson_append_oid(native, k, -1, &oid)
            case .bool(let b): return bson_append_bool(native, k, -1, b)
            case .date(let date):
                guard let ms = Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded()) else {
                    throw MongoError.encoding("Date \(date) at key \"\(key)\" is out of BSON range")
                }
                return bson_append_date_time(native, k, -1, ms)
            case .null: return bson_append_null(native, k, -1)
            case .int32(let v): return bson_append_int32(native, k, -1, v)
            case .int64(let v): return bson_append_int64(native, k, -1, v)
            }
        }
        guard ok else {
            throw MongoError.encoding("Cannot append key \"\(key)\" (document exceeds the BSON size limit?)")
        }
    }

    private static func appendString(_ string: String, key: UnsafePointer<CChar>, to native: OpaquePointer) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            emptyBytes.withUnsafeBufferPointer { empty in
                let base = UnsafeRawPointer(utf8.baseAddress ?? empty.baseAddress!)
                return bson_append_utf8(
                    native, key, -1, base.assumingMemoryBound(to: CChar.self), Int32(utf8.count))
            }
        }
    }
}
