import CMongoC

extension MongoCollection {
    /// Applies `update` (operators such as `$set`, `$inc`) to the first document matching `filter`.
    ///
    /// With `upsert`, inserts a document built from `filter` + `update` when none matches.
    @discardableResult
    public func updateOne(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false) async throws -> UpdateResult {
        try await performUpdate(filter, update, upsert: upsert, many: false)
    }

    /// Applies `update` to every document matching `filter` (see `updateOne`).
    @discardableResult
    public func updateMany(_ filter: BSONDocument, _ update: BSONDocument, upsert: Bool = false) async throws -> UpdateResult {
        try await performUpdate(filter, update, upsert: upsert, many: true)
    }

    private func performUpdate(
        _ filter: BSONDocument, _ update: BSONDocument, upsert: Bool, many: Bool
    ) async throws -> UpdateResult {
        let options: BSONDocument? = upsert ? ["upsert": true] : nil
        return try await withHandle { collection in
            try BSONNative.with(filter) { nativeFilter in
                try BSONNative.with(update) { nativeUpdate in
                    try BSONNative.with(options) { nativeOpts in
                        let reply = BSONReply()
                        var error = bson_error_t()
                        let ok =
                            many
                            ? mongoc_collection_update_many(
                                collection, nativeFilter, nativeUpdate, nativeOpts, reply.pointer, &error)
                            : mongoc_collection_update_one(
                                collection, nativeFilter, nativeUpdate, nativeOpts, reply.pointer, &error)
                        guard ok else { throw MongoError.from(error, reply: reply.pointer) }
                        return UpdateResult(
                            matchedCount: try Self.count("matchedCount", in: reply),
                            modifiedCount: try Self.count("modifiedCount", in: reply),
                            upsertedId: try reply.value(forKey: "upsertedId"))
                    }
                }
            }
        }
    }

    /// Atomically updates the first document matching `filter` (in `sort` order) and returns it.
    ///
    /// Returns the document after the update when `returnNew` (the default), before it
    /// otherwise; nil when nothing matched (and, with `upsert` + `returnNew == false`, when
    /// the document was just created). `projection` limits the fields returned.
    public func findOneAndUpdate(
        _ filter: BSONDocument,
        _ update: BSONDocument,
        sort: BSONDocument? = nil,
        upsert: Bool = false,
        returnNew: Bool = true,
        projection: BSONDocument? = nil
    ) async throws -> BSONDocument? {
        var flags = MONGOC_FIND_AND_MODIFY_NONE.rawValue
        if upsert { flags |= MONGOC_FIND_AND_MODIFY_UPSERT.rawValue }
        if returnNew { flags |= MONGOC_FIND_AND_MODIFY_RETURN_NEW.rawValue }
        let flagValue = flags
        return try await withHandle { collection in
            let opts = mongoc_find_and_modify_opts_new()!
            defer { mongoc_find_and_modify_opts_destroy(opts) }
            return try BSONNative.with(filter) { nativeFilter in
                try BSONNative.with(update) { nativeUpdate in
                    try BSONNative.with(sort) { nativeSort in
                        try BSONNative.with(projection) { nativeFields in
                            guard mongoc_find_and_modify_opts_set_update(opts, nativeUpdate),
                                nativeSort.map({ mongoc_find_and_modify_opts_set_sort(opts, $0) }) ?? true,
                                nativeFields.map({ mongoc_find_and_modify_opts_set_fields(opts, $0) }) ?? true,
                                mongoc_find_and_modify_opts_set_flags(opts, mongoc_find_and_modify_flags_t(flagValue))
                            else { throw MongoError.encoding("Invalid findAndModify options") }
                            let reply = BSONReply()
                            var error = bson_error_t()
                            guard
                                mongoc_collection_find_and_modify_with_opts(
                                    collection, nativeFilter, opts, reply.pointer, &error
                                )
                            else {
                                throw MongoError.from(error, reply: reply.pointer)
                            }
                            return try reply.value(forKey: "value")?.documentValue
                        }
                    }
                }
            }
        }
    }

    /// Like `findOneAndUpdate`, decoding the returned document as `T`.
    public func findOneAndUpdate<T: Decodable>(
        _ filter: BSONDocument,
        _ update: BSONDocument,
        sort: BSONDocument? = nil,
        upsert: Bool = false,
        returnNew: Bool = true,
        as type: T.Type
    ) async throws -> T? {
        guard
            let document = try await findOneAndUpdate(
                filter, update, sort: sort, upsert: upsert, returnNew: returnNew
            )
        else { return nil }
        return try BSONDecoder().decode(type, from: document)
    }
}
