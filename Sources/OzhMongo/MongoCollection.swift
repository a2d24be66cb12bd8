import CMongoC

/// A handle to one collection; cheap to create and copy, all operations are `async throws`.
///
/// Documents are plain `BSONDocument`s; generic overloads encode/decode `Codable` values
/// with `BSONEncoder`/`BSONDecoder` (their `EncodingError`/`DecodingError`s propagate as-is).
/// Driver and server failures are `MongoError`s.
public struct MongoCollection: Sendable {
    /// The collection name.
    public let name: String
    /// The client (and database) this collection belongs to.
    public let client: MongoClient

    init(client: MongoClient, name: String) {
        self.client = client
        self.name = name
    }

    /// Runs `body` on a `Blocking` thread with this collection's `mongoc_collection_t`.
    func withHandle<R: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> R) async throws -> R {
        try await client.withCollection(name, body)
    }

    /// Reads every document from `cursor`, then destroys it.
    static func drain(_ cursor: OpaquePointer) throws -> [BSONDocument] {
        defer { mongoc_cursor_destroy(cursor) }
        var documents: [BSONDocument] = []
        var current: OpaquePointer?
        while mongoc_cursor_next(cursor, &current) {
            guard let current else { break }
            documents.append(try BSONNative.document(from: current))
        }
        var error = bson_error_t()
        if mongoc_cursor_error(cursor, &error) { throw MongoError.from(error) }
        return documents
    }

    /// A count field of a write reply (`matchedCount`, `deletedCount`, …), 0 when absent.
    static func count(_ key: String, in reply: BSONReply) throws -> Int {
        Int(try reply.value(forKey: key)?.int64Value ?? 0)
    }
}

/// The outcome of `updateOne`/`updateMany`.
public struct UpdateResult: Sendable, Equatable {
    /// Documents that matched the filter.
    public let matchedCount: Int
    /// Documents actually changed.
    public let modifiedCount: Int
    /// The `_id` of the document created by an upsert, if one was.
    public let upsertedId: BSON?

    /// A result with the given counts.
    public init(matchedCount: Int, modifiedCount: Int, upsertedId: BSON?) {
        self.matchedCount = matchedCount
        self.modifiedCount = modifiedCount
        self.upsertedId = upsertedId
    }
}
