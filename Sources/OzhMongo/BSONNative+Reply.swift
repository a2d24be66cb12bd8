import CMongoC

/// Storage for a `bson_t *reply` out-parameter.
///
/// libmongoc *initializes* reply documents itself (`bson_init` on caller storage), so a
/// `bson_new()` document would leak its struct. This owns 128 bytes at 128-byte alignment
/// (the size and alignment of `bson_t`), pre-initialized as an empty document so it is
/// valid even if a call fails before touching it; `deinit` destroys and frees it.
final class BSONReply {
    /// The `bson_t *` to hand to libmongoc.
    let pointer: OpaquePointer
    private let raw: UnsafeMutableRawPointer

    init() {
        raw = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
        pointer = OpaquePointer(raw)
        bson_init(pointer)
    }

    deinit {
        bson_destroy(pointer)
        raw.deallocate()
    }

    /// The whole reply as a document.
    func document() throws -> BSONDocument { try BSONNative.document(from: pointer) }

    /// One top-level field of the reply.
    func value(forKey key: String) throws -> BSON? { try BSONNative.value(forKey: key, in: pointer) }
}
