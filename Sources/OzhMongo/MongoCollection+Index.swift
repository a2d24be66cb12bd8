import CMongoC

extension MongoCollection {
    /// Creates an index on `keys` (e.g. `["email": 1]`) unless an identical one exists.
    ///
    /// - Parameters:
    ///   - name: the index name; defaults to MongoDB's convention (`email_1`, `a_1_b_-1`).
    ///   - unique: reject documents that repeat the key (`MongoError.duplicateKey`).
    ///   - expireAfterSeconds: make it a TTL index (the key must hold dates).
    public func createIndex(
        _ keys: BSONDocument,
        name: String? = nil,
        unique: Bool = false,
        expireAfterSeconds: Int? = nil
    ) async throws {
        var index: BSONDocument = ["key": .document(keys), "name": .string(name ?? Self.indexName(keys))]
        if unique { index["unique"] = true }
        if let expireAfterSeconds { index["expireAfterSeconds"] = .int64(Int64(expireAfterSeconds)) }
        let command: BSONDocument = ["createIndexes": .string(self.name), "indexes": [.document(index)]]
        try await withHandle { collection in
            try BSONNative.with(command) { native in
                let reply = BSONReply()
                var error = bson_error_t()
                guard mongoc_collection_write_command_with_opts(collection, native, nil, reply.pointer, &error) else {
                    throw MongoError.from(error, reply: reply.pointer)
                }
            }
        }
    }

    /// MongoDB's default index name: `<key>_<value>` pairs joined by `_`.
    static func indexName(_ keys: BSONDocument) -> String {
        keys.map { key, value in
            let direction: String
            switch value {
            case .string(let s): direction = s
            case .int32, .int64, .double: direction = value.int64Value.map(String.init) ?? "\(value)"
            default: direction = "\(value)"
            }
            return "\(key)_\(direction)"
        }.joined(separator: "_")
    }
}
