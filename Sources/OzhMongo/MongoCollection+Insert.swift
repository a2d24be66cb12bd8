import CMongoC

extension MongoCollection {
    /// Inserts `document`, generating an ObjectId `_id` first if it has none; returns the `_id`.
    ///
    /// Throws `MongoError.duplicateKey` when a unique index rejects it.
    @discardableResult
    public func insertOne(_ document: BSONDocument) async throws -> BSON {
        let (prepared, id) = Self.withId(document)
        try await withHandle { collection in
            try BSONNative.with(prepared) { native in
                let reply = BSONReply()
                var error = bson_error_t()
                guard mongoc_collection_insert_one(collection, native, nil, reply.pointer, &error) else {
                    throw MongoError.from(error, reply: reply.pointer)
                }
            }
        }
        return id
    }

    /// Encodes `value` with `BSONEncoder` and inserts it; returns the `_id`.
    @discardableResult
    public func insertOne<T: Encodable>(_ value: T) async throws -> BSON {
        try await insertOne(try BSONEncoder().encode(value))
    }

    /// Inserts `documents` in order (generating missing `_id`s); returns their `_id`s.
    ///
    /// Stops at the first failure (ordered insert); a duplicate throws `MongoError.duplicateKey`.
    @discardableResult
    public func insertMany(_ documents: [BSONDocument]) async throws -> [BSON] {
        guard !documents.isEmpty else { return [] }
        let prepared = documents.map(Self.withId)
        try await withHandle { collection in
            var natives: [OpaquePointer?] = []
            defer { natives.forEach { bson_destroy($0) } }
            for (document, _) in prepared { natives.append(try BSONNative.make(document)) }
            let reply = BSONReply()
            var error = bson_error_t()
            guard
                mongoc_collection_insert_many(
                    collection, &natives, natives.count, nil, reply.pointer, &error
                )
            else {
                throw MongoError.from(error, reply: reply.pointer)
            }
        }
        return prepared.map(\.1)
    }

    /// Encodes each value with `BSONEncoder` and inserts them in order.
    @discardableResult
    public func insertMany<T: Encodable>(_ values: [T]) async throws -> [BSON] {
        let encoder = BSONEncoder()
        return try await insertMany(try values.map { try encoder.encode($0) })
    }

    /// `document` with an `_id` (a new ObjectId first if absent), and that `_id`.
    private static func withId(_ document: BSONDocument) -> (BSONDocument, BSON) {
        if let id = document["_id"] { return (document, id) }
        let id = BSON.objectId(ObjectId())
        return (document.prepending("_id", id), id)
    }
}
