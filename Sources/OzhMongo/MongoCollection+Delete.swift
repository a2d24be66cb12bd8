import CMongoC

extension MongoCollection {
    /// Deletes the first document matching `filter`; returns how many were deleted (0 or 1).
    @discardableResult
    public func deleteOne(_ filter: BSONDocument) async throws -> Int {
        try await delete(filter, many: false)
    }

    /// Deletes every document matching `filter` (`[:]` empties the collection); returns the count.
    @discardableResult
    public func deleteMany(_ filter: BSONDocument) async throws -> Int {
        try await delete(filter, many: true)
    }

    private func delete(_ filter: BSONDocument, many: Bool) async throws -> Int {
        try await withHandle { collection in
            try BSONNative.with(filter) { native in
                let reply = BSONReply()
                var error = bson_error_t()
                let ok =
                    many
                    ? mongoc_collection_delete_many(collection, native, nil, reply.pointer, &error)
                    : mongoc_collection_delete_one(collection, native, nil, reply.pointer, &error)
                guard ok else { throw MongoError.from(error, reply: reply.pointer) }
                return try Self.count("deletedCount", in: reply)
            }
        }
    }
}
