import CMongoC

extension MongoCollection {
    /// The documents matching `filter`, ordered by `sort`, after skipping `skip`, at most `limit`.
    public func find(
        _ filter: BSONDocument = [:],
        sort: BSONDocument? = nil,
        limit: Int? = nil,
        skip: Int? = nil,
        projection: BSONDocument? = nil
    ) async throws -> [BSONDocument] {
        var options = BSONDocument()
        if let sort { options["sort"] = .document(sort) }
        if let limit { options["limit"] = .int64(Int64(limit)) }
        if let skip { options["skip"] = .int64(Int64(skip)) }
        if let projection { options["projection"] = .document(projection) }
        let opts = options
        return try await withHandle { collection in
            try BSONNative.with(filter) { nativeFilter in
                try BSONNative.with(opts) { nativeOpts in
                    let cursor = mongoc_collection_find_with_opts(collection, nativeFilter, nativeOpts, nil)!
                    return try Self.drain(cursor)
                }
            }
        }
    }

    /// Like `find`, decoding each document as `T`.
    public func find<T: Decodable>(
        _ filter: BSONDocument = [:],
        sort: BSONDocument? = nil,
        limit: Int? = nil,
        skip: Int? = nil,
        projection: BSONDocument? = nil,
        as type: T.Type
    ) async throws -> [T] {
        let decoder = BSONDecoder()
        return try await find(filter, sort: sort, limit: limit, skip: skip, projection: projection)
            .map { try decoder.decode(type, from: $0) }
    }

    /// The first document matching `filter`, or nil.
    public func findOne(_ filter: BSONDocument, projection: BSONDocument? = nil) async throws -> BSONDocument? {
        try await find(filter, limit: 1, projection: projection).first
    }

    /// The first document matching `filter` decoded as `T`, or nil.
    public func findOne<T: Decodable>(_ filter: BSONDocument, as type: T.Type) async throws -> T? {
        guard let document = try await findOne(filter) else { return nil }
        return try BSONDecoder().decode(type, from: document)
    }

    /// The number of documents matching `filter` (an aggregation, exact).
    public func countDocuments(_ filter: BSONDocument = [:]) async throws -> Int {
        try await withHandle { collection in
            try BSONNative.with(filter) { native in
                var error = bson_error_t()
                let count = mongoc_collection_count_documents(collection, native, nil, nil, nil, &error)
                guard count >= 0 else { throw MongoError.from(error) }
                return Int(count)
            }
        }
    }

    /// Runs an aggregation `pipeline` and returns every result document.
    public func aggregate(_ pipeline: [BSONDocument]) async throws -> [BSONDocument] {
        let command: BSONDocument = ["pipeline": .array(pipeline.map(BSON.document))]
        return try await withHandle { collection in
            try BSONNative.with(command) { native in
                let cursor = mongoc_collection_aggregate(collection, MONGOC_QUERY_NONE, native, nil, nil)!
                return try Self.drain(cursor)
            }
        }
    }

    /// Like `aggregate`, decoding each result as `T`.
    public func aggregate<T: Decodable>(_ pipeline: [BSONDocument], as type: T.Type) async throws -> [T] {
        let decoder = BSONDecoder()
        return try await aggregate(pipeline).map { try decoder.decode(type, from: $0) }
    }
}
