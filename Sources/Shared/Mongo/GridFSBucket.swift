import CMongoC
import Foundation

/// A GridFS bucket: files of any size stored as `<bucket>.files` + `<bucket>.chunks`.
///
/// Uses libmongoc's GridFS bucket API on `Blocking` threads; file ids are ObjectIds.
public struct GridFSBucket: Sendable {
    /// The bucket name (collection prefix).
    public let bucketName: String
    /// The client (and database) holding the bucket.
    public let client: MongoClient

    /// Bytes per write/read call on the GridFS stream.
    static let bufferSize = 256 * 1024

    init(client: MongoClient, bucketName: String) {
        self.client = client
        self.bucketName = bucketName
    }

    /// Stores `data` as a new file and returns its id.
    ///
    /// `metadata` is saved in the files document's `metadata` field. A failed upload is
    /// aborted (its chunks removed) before the error is thrown.
    public func upload(_ data: Data, filename: String, metadata: BSONDocument? = nil) async throws -> ObjectId {
        let id = ObjectId()
        let options: BSONDocument? = metadata.map { ["metadata": .document($0)] }
        try await withBucket { bucket in
            var fileId = Self.fileId(id)
            try BSONNative.with(options) { nativeOpts in
                var error = bson_error_t()
                guard let stream = mongoc_gridfs_bucket_open_upload_stream_with_id(
                    bucket, &fileId, filename, nativeOpts, &error
                ) else { throw MongoError.from(error) }
                defer { mongoc_stream_destroy(stream) }
                do {
                    try Self.write(data, to: stream)
                    guard mongoc_stream_close(stream) == 0 else { throw Self.streamError(stream) }
                } catch {
                    _ = mongoc_gridfs_bucket_abort_upload(stream)
                    throw error
                }
            }
        }
        return id
    }

    /// The full contents of file `id`; throws `MongoError.notFound` if there is no such file.
    public func download(_ id: ObjectId) async throws -> Data {
        try await withBucket { bucket in
            var fileId = Self.fileId(id)
            var error = bson_error_t()
            guard let stream = mongoc_gridfs_bucket_open_download_stream(bucket, &fileId, &error) else {
                throw Self.map(error)
            }
            defer { mongoc_stream_destroy(stream) }
            var result = Data()
            var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { raw in
                    mongoc_stream_read(stream, raw.baseAddress, raw.count, raw.count, 0)
                }
                if count < 0 { throw Self.streamError(stream) }
                if count == 0 { break }
                result.append(contentsOf: buffer[0..<count])
            }
            return result
        }
    }

    /// Deletes file `id` and its chunks; throws `MongoError.notFound` if there is no such file.
    public func delete(_ id: ObjectId) async throws {
        try await withBucket { bucket in
            var fileId = Self.fileId(id)
            var error = bson_error_t()
            guard mongoc_gridfs_bucket_delete_by_id(bucket, &fileId, &error) else { throw Self.map(error) }
        }
    }
}
