import CMongoC

extension MongoClient {
    /// A handle to the collection `name` in this client's database (no I/O).
    public func collection(_ name: String) -> MongoCollection {
        MongoCollection(client: self, name: name)
    }

    /// A handle to the GridFS bucket `bucket` (collections `<bucket>.files`/`<bucket>.chunks`).
    public func gridFS(bucket: String = "fs") -> GridFSBucket {
        GridFSBucket(client: self, bucketName: bucket)
    }

    /// Round-trips `{ping: 1}`; throws `MongoError.unavailable` when no server is reachable.
    public func ping() async throws {
        try await runAdminCommand(["ping": .int32(1)])
    }

    /// Drops this client's whole database (meant for tests).
    public func dropDatabase() async throws {
        try await withDatabase { database in
            var error = bson_error_t()
            guard mongoc_database_drop_with_opts(database, nil, &error) else {
                let mapped = MongoError.from(error)
                if case .server(26, _) = mapped { return } // NamespaceNotFound
                throw mapped
            }
        }
    }

    /// Runs `command` against `admin`, checking only that it succeeded.
    ///
    /// The reply is not decoded: it may carry types this layer does not model
    /// (e.g. the Timestamp in `$clusterTime`).
    func runAdminCommand(_ command: BSONDocument) async throws {
        try await withClient { client in
            try BSONNative.with(command) { native in
                let reply = BSONReply()
                var error = bson_error_t()
                guard mongoc_client_command_simple(client, "admin", native, nil, reply.pointer, &error) else {
                    throw MongoError.from(error, reply: reply.pointer)
                }
            }
        }
    }
}
