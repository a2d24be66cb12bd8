import Foundation
import Logging
import OzhMongo
import OzhRedis

/// A short-lived copy of users' documents in Redis, so `GET /users/{chat_id}` (the bot reads a
/// user on nearly every message) does not cost a MongoDB find each time.
///
/// **Coherence.** Every writer of a user document (``Ledger``, ``UserService``'s edits and
/// activity, ``PaymentService``) calls ``invalidate(_:)`` after its MongoDB write; it gives the
/// user's *version key* (`<prefix>user_version:<chat_id>`) a new random value. A reader reads
/// the version key and the copy (`<prefix>user_cache:<chat_id>`) in one `MGET`; the copy is
/// used only when it was stored under the version read now. On a miss the reader reads MongoDB
/// and stores the copy under the version it read *before* its MongoDB read, so a copy read
/// before a write and stored after it carries the old version and is never served: a read
/// after a write's ``invalidate(_:)`` returned always sees the write.
///
/// **Failure.** A Redis error turns the cache off for that request (MongoDB answers), so Redis
/// down never makes users unreadable. A writer that wrote MongoDB but could not reach Redis
/// (or died in between) leaves a copy up to ``ttl`` old; that is the bound on staleness. A
/// version key lives ``versionLifetime`` (one day) after the user's last write, far longer
/// than any read takes, so a copy stored under "no version" cannot outlive a write either.
public struct UserCache: Sendable {
    let redis: RedisClient?
    let prefix: String
    /// How long a copy is served (`USER_CACHE_TTL_MS`); zero turns the cache off.
    public let ttl: Duration
    let logger: Logger

    /// How long a user's version key outlives the user's last write.
    static let versionLifetime: Duration = .seconds(86_400)

    /// No cache: readers go to MongoDB and writers have nothing to invalidate.
    public static let disabled = UserCache(redis: nil, prefix: "", ttl: .zero, logger: Logger(label: "ozh.user-cache"))

    /// A cache in `redis` under `prefix`, serving copies for `ttl` (zero: reads skip the cache,
    /// writes still invalidate).
    public init(redis: RedisClient?, prefix: String, ttl: Duration, logger: Logger) {
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl
        self.logger = logger
    }

    /// What a read found: the copy (when current) and the version to store a fresh one under.
    public struct Lookup: Sendable {
        /// The cached user, when its copy was stored under the current version.
        public let user: UserRecord?
        /// The version read (`-` when the user has no version key).
        let version: String
    }

    func versionKey(_ chatID: Int64) -> String { "\(prefix)user_version:\(chatID)" }
    func copyKey(_ chatID: Int64) -> String { "\(prefix)user_cache:\(chatID)" }

    /// The current copy of `chatID`, if any; nil when the cache is off or Redis failed.
    public func lookup(_ chatID: Int64) async -> Lookup? {
        guard let redis, ttl > .zero else { return nil }
        do {
            let replies = try await redis.send("MGET", versionKey(chatID), copyKey(chatID)).array ?? []
            guard replies.count == 2 else { return nil }
            let version = replies[0].string ?? "-"
            guard case .bulk(let bytes) = replies[1], let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
                String(decoding: bytes[..<newline], as: UTF8.self) == version
            else { return Lookup(user: nil, version: version) }
            guard let bson = Data(base64Encoded: Data(bytes[(newline + 1)...])) else { return Lookup(user: nil, version: version) }
            let user = try BSONDecoder().decode(UserRecord.self, from: try BSONNative.document(fromBytes: bson))
            return Lookup(user: user, version: version)
        } catch {
            logger.warning("user cache unavailable, reading MongoDB", metadata: ["chat_id": "\(chatID)", "error": "\(error)"])
            return nil
        }
    }

    /// Stores `user` (read from MongoDB after `lookup`) under the version `lookup` found.
    public func store(_ user: UserRecord, after lookup: Lookup) async {
        guard let redis, ttl > .zero else { return }
        do {
            // BSON, as MongoDB gave it (JSON would turn the dates inside `yookassa_payments` into numbers).
            let bson = try BSONNative.bytes(of: try BSONEncoder().encode(user)).base64EncodedString()
            _ = try await redis.send("SET", copyKey(user.chatID), "\(lookup.version)\n\(bson)", "PX", "\(ttl.wholeMilliseconds)")
        } catch {
            logger.warning("user cache not stored", metadata: ["chat_id": "\(user.chatID)", "error": "\(error)"])
        }
    }

    /// Makes every copy of `chatID` stale; call it after each write of the user's document.
    /// Writers invalidate whatever their own ``ttl`` (a worker may run with the cache off while
    /// a gateway reads through it).
    public func invalidate(_ chatID: Int64) async {
        guard let redis else { return }
        let version = String(UInt64.random(in: .min ... .max), radix: 36)
        do {
            _ = try await redis.send("SET", versionKey(chatID), version, "PX", "\(Self.versionLifetime.wholeMilliseconds)")
        } catch {
            logger.warning(
                "user cache not invalidated: copies may be served until they expire",
                metadata: [
                    "chat_id": "\(chatID)", "error": "\(error)", "ttl_ms": "\(ttl.wholeMilliseconds)",
                ])
        }
    }
}
