import CMongoC
import Foundation

/// libmongoc plumbing for `GridFSBucket`.
extension GridFSBucket {
    /// Runs `body` on a `Blocking` thread with a `mongoc_gridfs_bucket_t` for this bucket.
    func withBucket<R: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> R) async throws -> R {
        let options: BSONDocument = ["bucketName": .string(bucketName)]
        return try await client.withDatabase { database in
            try BSONNative.with(options) { nativeOpts in
                var error = bson_error_t()
                guard let bucket = mongoc_gridfs_bucket_new(database, nativeOpts, nil, &error) else {
                    throw MongoError.from(error)
                }
                defer { mongoc_gridfs_bucket_destroy(bucket) }
                return try body(bucket)
            }
        }
    }

    /// A `bson_value_t` holding ObjectId `id` (a plain 8-aligned struct, safe to declare).
    static func fileId(_ id: ObjectId) -> bson_value_t {
        var value = bson_value_t()
        value.value_type = BSON_TYPE_OID
        value.value.v_oid = BSONNative.oid(id)
        return value
    }

    /// Writes all of `data` to an upload `stream`.
    static func write(_ data: Data, to stream: UnsafeMutablePointer<mongoc_stream_t>) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let chunk = min(bufferSize, raw.count - offset)
                let written = mongoc_stream_write(stream, UnsafeMutableRawPointer(mutating: base + offset), chunk, 0)
                guard written > 0 else { throw streamError(stream) }
                offset += written
            }
        }
    }

    /// The error recorded on a GridFS `stream`.
    static func streamError(_ stream: UnsafeMutablePointer<mongoc_stream_t>) -> MongoError {
        var error = bson_error_t()
        guard mongoc_gridfs_bucket_stream_error(stream, &error) else {
            return .server(code: 0, message: "GridFS stream failed")
        }
        return map(error)
    }

    /// `MongoError.from`, with "file not found" mapped to `.notFound`.
    static func map(_ error: bson_error_t) -> MongoError {
        if error.domain == UInt32(MONGOC_ERROR_GRIDFS.rawValue),
           error.code == UInt32(MONGOC_ERROR_GRIDFS_BUCKET_FILE_NOT_FOUND.rawValue) {
            return .notFound
        }
        return MongoError.from(error)
    }
}
