import Foundation
import Logging
import OzhMongo

/// Applies balance operations exactly once and records them in the `ledger` collection.
///
/// Each operation has an id (e.g. `daily_bonus:42:2026-11-26`, `generation:<job>`). The user
/// document is changed by compare-and-set on its `rev`, in one atomic update that also appends
/// the operation to the user's `ops`; an operation whose id is already there (or already in
/// the ledger) is not applied again. This needs no transactions, so it holds on a standalone
/// MongoDB. The ledger entry is written after the user update under the same id (zero-delta
/// operations too: a generation's success is a settlement the audit and the sweep read), and
/// rewritten from `ops` if a crash came in between (``repair(_:)``, and the refund sweep's
/// repair pass over users whose `ops_at` moved).
///
/// An operation costs three MongoDB round trips: read the user, the compare-and-set (a plain
/// update that returns no document), the ledger insert (and one Redis `SET` that invalidates the user's cached copy, ``UserCache``). The ledger is read as well (a fourth) only for users whose window of recent
/// operations has overflowed, to refuse an operation older than the window.
public struct Ledger: Sendable {
    /// How many recent operation ids each user document keeps.
    public static let recentOperations = 64
    let users: MongoCollection
    let ledger: MongoCollection
    /// Told of every change of a user document this ledger makes (``UserCache/invalidate(_:)``).
    public let userCache: UserCache
    let logger: Logger

    /// `userCache` must be the one the gateway reads users through (``UserCache/disabled`` where
    /// none is): a change it is not told of is served stale until the copy expires.
    public init(mongo: MongoClient, userCache: UserCache, logger: Logger) {
        users = mongo.collection("users")
        ledger = mongo.collection("ledger")
        self.userCache = userCache
        self.logger = logger
    }

    /// Applies the change that `rule` computes from the user's current state, at most once per
    /// `operationID`. `rule` may throw to refuse (it can run several times under contention).
    public func apply(
        operationID: String, chatID: Int64, now: Date,
        _ rule: @Sendable (UserRecord) throws -> BalanceChange
    ) async throws -> ApplyOutcome {
        for attempt in 0..<200 {
            guard let document = try await users.findOne(["_id": .int64(chatID)]) else {
                throw BillingError.userNotFound(chatID)
            }
            let user = try BSONDecoder().decode(UserRecord.self, from: document)
            if let done = user.ops.first(where: { $0.id == operationID }) {
                try await record(LedgerEntry(chatID: chatID, operation: done))
                return .alreadyApplied(user)
            }
            // Only an operation that left the window of recent ones can be applied yet missing
            // from `ops`; while the window holds every operation ever applied (`rev` counts
            // them), the ledger need not be asked.
            if user.hasPrunedOperations, try await ledger.findOne(["_id": .string(operationID)], projection: ["_id": 1]) != nil {
                return .alreadyApplied(user)
            }
            let change = try rule(user)
            let balance = user.ozhivashki + change.delta
            if change.delta < 0 && balance < 0 {
                throw BillingError.insufficientBalance(balance: user.ozhivashki, needed: -change.delta)
            }
            let operation = AppliedOperation(
                id: operationID, seq: user.rev + 1, delta: change.delta, reason: change.reason,
                ref: change.ref, at: now, balanceAfter: balance)
            let ops = Array((user.ops + [operation]).suffix(Self.recentOperations))
            var set = change.set
            set["ozhivashki"] = .int64(balance)
            set["rev"] = .int64(user.rev + 1)
            set["ops"] = try BSONEncoder().encodeValue(ops)
            set["ops_at"] = .date(now)
            var update: BSONDocument = ["$set": .document(set)]
            if !change.inc.isEmpty { update["$inc"] = .document(change.inc) }
            // A plain update, not findAndModify: it answers only whether the compare-and-set
            // matched, and the user after it is the document just read with the same `$set` and
            // `$inc` applied (``postImage(of:set:inc:)``).
            let result = try await users.updateOne(["_id": .int64(chatID), "rev": .int64(user.rev)], update)
            if result.matchedCount == 1 {
                await userCache.invalidate(chatID)
                try await Self.afterUserUpdate(operationID)
                try await record(LedgerEntry(chatID: chatID, operation: operation))
                // Built after the ledger entry is written: nothing after the update can leave
                // the operation without its entry.
                let updated = try BSONDecoder().decode(
                    UserRecord.self, from: try Self.postImage(of: document, set: set, inc: change.inc))
                logger.debug(
                    "balance operation applied",
                    metadata: [
                        "chat_id": "\(chatID)", "operation": "\(operationID)", "delta": "\(operation.delta)",
                    ])
                return .applied(updated)
            }
            // Someone else changed the user in between: read again and retry.
            if attempt > 2 { try await Task.sleep(for: .milliseconds(Int.random(in: 1...(2 + min(attempt, 20))))) }
        }
        throw BillingError.contention
    }

    /// Writes the ledger entries of `user`'s recent operations that are missing (after a crash
    /// between the user update and the ledger insert).
    public func repair(_ user: UserRecord) async throws {
        for operation in user.ops {
            try await record(LedgerEntry(chatID: user.chatID, operation: operation))
        }
    }

    /// Writes the ledger entries missing for the recent operations of `users` (one query for
    /// the page, one insert per missing entry); returns how many it wrote.
    @discardableResult
    public func repair(_ users: [UserRecord]) async throws -> Int {
        let ids = users.flatMap { $0.ops.map(\.id) }
        guard !ids.isEmpty else { return 0 }
        let present = Set(
            try await ledger.find(["_id": ["$in": .array(ids.map(BSON.string))]], projection: ["_id": 1])
                .compactMap { $0["_id"]?.stringValue })
        var written = 0
        for user in users {
            for operation in user.ops where !present.contains(operation.id) {
                try await record(LedgerEntry(chatID: user.chatID, operation: operation))
                written += 1
                logger.warning(
                    "ledger entry repaired from the user's operations",
                    metadata: [
                        "chat_id": "\(user.chatID)", "operation": "\(operation.id)", "delta": "\(operation.delta)",
                    ])
            }
        }
        return written
    }

    /// Whether the operation `id` has a ledger entry (it was applied and moved the balance).
    public func isApplied(_ id: String) async throws -> Bool {
        try await ledger.findOne(["_id": .string(id)], projection: ["_id": 1]) != nil
    }

    /// Inserts `entry`; an entry already there under the same id is left as it is.
    func record(_ entry: LedgerEntry) async throws {
        do {
            try await ledger.insertOne(entry)
        } catch let error as MongoError where error.isDuplicateKey {
            return
        }
    }

    /// The newest `limit` entries of `chatID`, newest first.
    public func entries(chatID: Int64, limit: Int) async throws -> [LedgerEntry] {
        try await ledger.find(["chat_id": .int64(chatID)], sort: ["seq": -1], limit: limit, as: LedgerEntry.self)
    }

    /// Creates the ledger's indexes (idempotent).
    public func createIndexes() async throws {
        try await ledger.createIndex(["chat_id": 1, "seq": -1], name: "chat_id_seq")
        try await users.createIndex(["ops_at": 1, "_id": 1], name: "ops_at")
        try await users.createIndex(["active_generations": 1], name: "active_generations")
    }
}
