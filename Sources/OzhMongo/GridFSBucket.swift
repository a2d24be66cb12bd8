import Foundation
import OzhSupport

/// A GridFS bucket: files of any size stored as `<bucket>.files` + `<bucket>.chunks`, in the
/// layout of the GridFS specification (so `mongofiles` and every driver read them).
///
/// Written with plain commands rather than libmongoc's bucket API, which checks (and may
/// create) both indexes with four extra commands on the first write of every bucket handle
/// and opens a handle per operation: an upload is one `insert` of its chunks and one of its
/// files document, a download a `find` of each (concurrently), a delete a `delete` of each.
/// ``createIndexes()`` makes the indexes once, at startup. File ids are ObjectIds.
public struct GridFSBucket: Sendable {
    /// The bucket name (collection prefix).
    public let bucketName: String
    /// The client (and database) holding the bucket.
    public let client: MongoClient

    /// Bytes per chunk: the specification's default, 255 KiB.
    public static let chunkSize = 255 * 1024

    init(client: MongoClient, bucketName: String) {
        self.client = client
        self.bucketName = bucketName
    }

    var files: MongoCollection { client.collection("\(bucketName).files") }
    var chunks: MongoCollection { client.collection("\(bucketName).chunks") }

    /// Stores `data` as a new file and returns its id.
    ///
    /// The chunks are written first and the files document last, so a file that has a files
    /// document is whole. `metadata` is saved in the files document's `metadata` field. A
    /// failed upload removes the chunks it wrote (best effort) before the error is thrown.
    public func upload(_ data: Data, filename: String, metadata: BSONDocument? = nil) async throws -> ObjectId {
        let id = ObjectId()
        let pieces: [BSONDocument] = stride(from: 0, to: data.count, by: Self.chunkSize).enumerated().map { n, start in
            let end = min(start + Self.chunkSize, data.count)
            return [
                "_id": .objectId(ObjectId()), "files_id": .objectId(id), "n": .int32(Int32(n)),
                "data": .binary(data.subdata(in: (data.startIndex + start)..<(data.startIndex + end))),
            ]
        }
        var file: BSONDocument = [
            "_id": .objectId(id), "length": .int64(Int64(data.count)),
            "chunkSize": .int32(Int32(Self.chunkSize)), "uploadDate": .date(Date.nowMillis),
            "filename": .string(filename),
        ]
        if let metadata { file["metadata"] = .document(metadata) }
        do {
            if !pieces.isEmpty { _ = try await chunks.insertMany(pieces) }
            _ = try await files.insertOne(file)
        } catch {
            _ = try? await chunks.deleteMany(["files_id": .objectId(id)])
            throw error
        }
        return id
    }

    /// The full contents of file `id`; throws `MongoError.notFound` if there is no such file,
    /// `MongoError.decoding` if its chunks do not add up to its length.
    public func download(_ id: ObjectId) async throws -> Data {
        async let fileDocument = files.findOne(["_id": .objectId(id)], projection: ["length": 1, "chunkSize": 1])
        async let pieces = chunks.find(["files_id": .objectId(id)], sort: ["n": 1], projection: ["n": 1, "data": 1])
        guard let file = try await fileDocument else {
            _ = try? await pieces
            throw MongoError.notFound
        }
        let length = Int(file["length"]?.int64Value ?? 0)
        var result = Data(capacity: length)
        for (index, piece) in try await pieces.enumerated() {
            guard piece["n"]?.int64Value == Int64(index), let bytes = piece["data"]?.binaryValue else {
                throw MongoError.decoding("GridFS file \(id.hex) is missing chunk \(index)")
            }
            result.append(bytes)
        }
        guard result.count == length else {
            throw MongoError.decoding("GridFS file \(id.hex) has \(result.count) bytes in its chunks, \(length) in its length")
        }
        return result
    }

    /// Deletes file `id` and its chunks; throws `MongoError.notFound` if there is no such file
    /// (its stray chunks, if any, are removed all the same).
    public func delete(_ id: ObjectId) async throws {
        let deleted = try await files.deleteOne(["_id": .objectId(id)])
        _ = try await chunks.deleteMany(["files_id": .objectId(id)])
        if deleted == 0 { throw MongoError.notFound }
    }

    /// Creates the specification's indexes (idempotent): `files` by `filename, uploadDate`,
    /// `chunks` by `files_id, n`, unique.
    public func createIndexes() async throws {
        try await files.createIndex(["filename": 1, "uploadDate": 1])
        try await chunks.createIndex(["files_id": 1, "n": 1], unique: true)
    }
}
