import CMongoC
import Foundation
import OzhSupport

/// A connection pool to one MongoDB deployment, bound to one database.
///
/// Every operation pops a `mongoc_client_t` from the pool on a `Blocking` thread, runs
/// there, and pushes the client back, so no libmongoc call ever blocks Swift's
/// cooperative pool. Create one per process and share it.
///
/// `@unchecked Sendable` is sound: the only shared C object is the `mongoc_client_pool_t`,
/// which libmongoc documents as thread-safe (pop/push may be called from any thread); the
/// `mongoc_client_t`s popped from it are used by one thread at a time and never escape an
/// operation, and the mutable lifecycle state below is guarded by `lock`.
public final class MongoClient: @unchecked Sendable {
    /// The database every collection and GridFS bucket of this client lives in.
    public let databaseName: String
    /// Every command this client sent, by collection and command (also in `/metrics` as
    /// `ozh_mongo_commands_total`).
    public let commands = MongoCommandTally()

    private let uri: OpaquePointer
    private let pool: OpaquePointer
    private let lock = NSLock()
    private var isShutdown = false
    private var inFlight = 0
    private var isFreed = false

    /// Default server selection timeout when the URI sets none, so a down server fails fast.
    static let defaultServerSelectionTimeoutMS: Int32 = 5000

    private static let initialize: Void = {
        mongoc_init()
        MongoLog.install()
    }()

    /// Parses `uri` and creates the pool; no connection is made until the first operation.
    ///
    /// Throws `MongoError.invalidURI` when the connection string cannot be parsed.
    public init(uri uriString: String, database: String) throws {
        _ = Self.initialize
        var error = bson_error_t()
        guard !database.isEmpty, let uri = mongoc_uri_new_with_error(uriString, &error) else {
            throw MongoError.invalidURI
        }
        if !mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS) {
            mongoc_uri_set_option_as_int32(
                uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, Self.defaultServerSelectionTimeoutMS)
        }
        guard let pool = mongoc_client_pool_new_with_error(uri, &error) else {
            mongoc_uri_destroy(uri)
            throw MongoError.invalidURI
        }
        mongoc_client_pool_set_error_api(pool, Int32(MONGOC_ERROR_API_VERSION_2))
        MongoCommandMonitor.install(on: pool, tally: commands)
        self.uri = uri
        self.pool = pool
        self.databaseName = database
    }

    deinit { free() }

    /// Refuses new operations and frees the pool once in-flight ones finish. Idempotent.
    public func shutdown() {
        let freeNow: Bool = lock.withLock {
            guard !isShutdown else { return false }
            isShutdown = true
            return inFlight == 0
        }
        if freeNow { free() }
    }

    private func free() {
        let shouldFree: Bool = lock.withLock {
            guard !isFreed else { return false }
            isFreed = true
            return true
        }
        guard shouldFree else { return }
        mongoc_client_pool_destroy(pool)
        mongoc_uri_destroy(uri)
    }

    /// Runs `body` on a `Blocking` thread with a client popped from the pool.
    func withClient<R: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> R) async throws -> R {
        try await Blocking.run(on: Blocking.mongo) { [self] in
            let admitted: Bool = lock.withLock {
                guard !isShutdown else { return false }
                inFlight += 1
                return true
            }
            guard admitted else { throw MongoError.unavailable("The MongoDB client has been shut down") }
            defer {
                let freeNow: Bool = lock.withLock {
                    inFlight -= 1
                    return isShutdown && inFlight == 0
                }
                if freeNow { free() }
            }
            let client = mongoc_client_pool_pop(pool)!
            defer { mongoc_client_pool_push(pool, client) }
            return try body(client)
        }
    }

    /// Runs `body` on a `Blocking` thread with this client's `mongoc_database_t`.
    func withDatabase<R: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> R) async throws -> R {
        let name = databaseName
        return try await withClient { client in
            let database = mongoc_client_get_database(client, name)!
            defer { mongoc_database_destroy(database) }
            return try body(database)
        }
    }

    /// Runs `body` on a `Blocking` thread with the `mongoc_collection_t` called `collection`.
    func withCollection<R: Sendable>(
        _ collection: String, _ body: @escaping @Sendable (OpaquePointer) throws -> R
    ) async throws -> R {
        let name = databaseName
        return try await withClient { client in
            let handle = mongoc_client_get_collection(client, name, collection)!
            defer { mongoc_collection_destroy(handle) }
            return try body(handle)
        }
    }
}
