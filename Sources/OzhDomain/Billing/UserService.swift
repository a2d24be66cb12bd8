import Foundation
import Logging
import OzhMongo

/// Users: registration, reads, the bot's edits and the daily bonus, all through ``Ledger``
/// for anything that moves ozhivashki.
public struct UserService: Sendable {
    let users: MongoCollection
    public let ledger: Ledger
    public let calendar: BonusCalendar
    /// `last_activity_time` is kept to this resolution (`ACTIVITY_RESOLUTION_S`): a read writes
    /// only when the stored time is at least this old.
    public let activityResolution: Duration
    let logger: Logger

    /// The cached copies `GET /users/{chat_id}` reads (``read(_:now:)``); the ledger's too.
    public var cache: UserCache { ledger.userCache }

    public init(
        mongo: MongoClient, calendar: BonusCalendar, activityResolution: Duration = .seconds(60),
        cache: UserCache, logger: Logger
    ) {
        users = mongo.collection("users")
        ledger = Ledger(mongo: mongo, userCache: cache, logger: logger)
        self.calendar = calendar
        self.activityResolution = activityResolution
        self.logger = logger
    }

    /// Creates the user with the sign-up ozhivashka (a ledger entry `signup:<chat_id>`).
    /// An unknown or own referral code gives `referred_by: null`, not an error.
    public func register(_ registration: UserRegistration, now: Date) async throws -> UserRecord {
        var referredBy: Int64?
        if let referrer = registration.referrerChatID, referrer != registration.chatID,
            try await users.findOne(["_id": .int64(referrer)], projection: ["_id": 1]) != nil
        {
            referredBy = referrer
        }
        let signup = AppliedOperation(
            id: "signup:\(registration.chatID)", seq: 1, delta: 1, reason: "signup",
            ref: nil, at: now, balanceAfter: 1)
        let user = UserRecord(
            chatID: registration.chatID, username: registration.username, ozhivashki: 1, generationCount: 0,
            lastGenerationTime: nil, registeredAt: now, referralCode: "ref_\(registration.chatID)",
            referredBy: referredBy, referralBonusClaimed: false, firstGenerationTime: nil, lastDailyBonusDate: nil,
            dailyBonusStreak: 0, discountOffered: false, lastActivityTime: now,
            advertisingSource: registration.advertisingSource, yookassaPayments: [:], rev: 1, ops: [signup],
            activeGenerations: [], opsAt: now)
        do {
            try await users.insertOne(user)
        } catch let error as MongoError where error.isDuplicateKey {
            // A retry of a registration whose ledger write was lost: complete it, then refuse.
            if let existing = try await users.findOne(["_id": .int64(registration.chatID)], as: UserRecord.self) {
                try await ledger.repair(existing)
            }
            throw BillingError.userExists(registration.chatID)
        }
        await cache.invalidate(user.chatID) // a copy of an earlier document under this id
        try await ledger.record(LedgerEntry(chatID: user.chatID, operation: signup))
        logger.info("user registered", metadata: ["chat_id": "\(user.chatID)", "referred_by": "\(referredBy.map(String.init) ?? "-")"])
        return user
    }

    /// The user, with `last_activity_time` brought to `now` when it is older than
    /// ``activityResolution``: one find, plus at most one write per user per resolution (a
    /// conditional update on the time read, so racing readers write once).
    ///
    /// The record comes without its ``UserRecord/ops`` (empty here): the window of recent
    /// operations is the ledger's, never shown, and most of the document's size. Requests that
    /// decide something from the user (a payment's price) read it here, from MongoDB.
    public func touch(_ chatID: Int64, now: Date) async throws -> UserRecord {
        try await recordActivity(of: try await fetch(chatID), now: now)
    }

    /// ``touch(_:now:)`` for showing the user (`GET /users/{chat_id}`): from ``cache`` when it
    /// holds a current copy (one Redis `MGET`, no MongoDB command), else from MongoDB, stored
    /// for the next read.
    public func read(_ chatID: Int64, now: Date) async throws -> UserRecord {
        let lookup = await cache.lookup(chatID)
        if let cached = lookup?.user { return try await recordActivity(of: cached, now: now) }
        let user = try await fetch(chatID)
        if let lookup { await cache.store(user, after: lookup) }
        return try await recordActivity(of: user, now: now)
    }

    /// The user document without its `ops`.
    func fetch(_ chatID: Int64) async throws -> UserRecord {
        guard var document = try await users.findOne(["_id": .int64(chatID)], projection: ["ops": 0]) else {
            throw BillingError.userNotFound(chatID)
        }
        document["ops"] = .array([])
        return try BSONDecoder().decode(UserRecord.self, from: document)
    }

    /// Writes `last_activity_time` when the one `user` shows is at least ``activityResolution`` old.
    func recordActivity(of user: UserRecord, now: Date) async throws -> UserRecord {
        guard now.timeIntervalSince(user.lastActivityTime) >= activityResolution.timeInterval else { return user }
        var user = user
        let result = try await users.updateOne(
            ["_id": .int64(user.chatID), "last_activity_time": .date(user.lastActivityTime)],
            ["$set": ["last_activity_time": .date(now)]])
        if result.matchedCount > 0 {
            user.lastActivityTime = now
            await cache.invalidate(user.chatID)
        }
        return user
    }

    /// Applies the bot's edits (and `last_activity_time`).
    public func update(_ chatID: Int64, _ patch: UserPatch, now: Date) async throws -> UserRecord {
        var set: BSONDocument = ["last_activity_time": .date(now)]
        if let username = patch.username { set["username"] = username.map(BSON.string) ?? .null }
        if let source = patch.advertisingSource { set["advertising_source"] = source.map(BSON.string) ?? .null }
        if let offered = patch.discountOffered { set["discount_offered"] = .bool(offered) }
        guard
            let user = try await users.findOneAndUpdate(
                ["_id": .int64(chatID)], ["$set": .document(set)], returnNew: true, as: UserRecord.self)
        else { throw BillingError.userNotFound(chatID) }
        await cache.invalidate(chatID)
        return user
    }

    /// +1 ozhivashka once per calendar day; the streak grows when yesterday was claimed.
    public func claimDailyBonus(_ chatID: Int64, now: Date) async throws -> UserRecord {
        let today = calendar.day(of: now)
        let yesterday = calendar.previousDay(of: now)
        let outcome = try await ledger.apply(operationID: "daily_bonus:\(chatID):\(today)", chatID: chatID, now: now) { user in
            if user.lastDailyBonusDate == today { throw BillingError.dailyBonusAlreadyClaimed(day: today) }
            let streak = user.lastDailyBonusDate == yesterday ? user.dailyBonusStreak + 1 : 1
            return BalanceChange(
                delta: 1, reason: "daily_bonus", ref: today,
                set: [
                    "last_daily_bonus_date": .string(today), "daily_bonus_streak": .int64(streak),
                    "last_activity_time": .date(now),
                ])
        }
        guard case .applied(let user) = outcome else { throw BillingError.dailyBonusAlreadyClaimed(day: today) }
        return user
    }

    /// Creates the indexes users and the ledger rely on (idempotent).
    public func createIndexes() async throws {
        try await ledger.createIndexes()
    }
}
