import Foundation
import OzhMongo

/// A user as stored in the `users` collection (`_id` = chat_id).
///
/// Besides the seed's fields it holds `rev`, bumped by every balance or stats operation
/// (the compare-and-set guard of ``Ledger``), and `ops`, the ids of the latest operations
/// applied to this user, which make every operation apply at most once.
public struct UserRecord: Codable, Sendable, Equatable {
    public var chatID: Int64
    public var username: String?
    public var ozhivashki: Int64
    public var generationCount: Int64
    public var lastGenerationTime: Date?
    public var registeredAt: Date
    public var referralCode: String
    public var referredBy: Int64?
    public var referralBonusClaimed: Bool
    public var firstGenerationTime: Date?
    /// The calendar day (`yyyy-MM-dd`, bonus time zone) of the last daily-bonus claim.
    public var lastDailyBonusDate: String?
    public var dailyBonusStreak: Int64
    public var discountOffered: Bool
    public var lastActivityTime: Date
    public var advertisingSource: String?
    /// payment_id → status, amount, item and timestamps (filled by the payment worker).
    public var yookassaPayments: BSONDocument
    public var rev: Int64
    public var ops: [AppliedOperation]
    /// Ids of this user's generation jobs that were charged and have not ended yet.
    public var activeGenerations: [String]?
    /// When the newest operation was applied (absent on documents older than this field): the
    /// refund sweep's ledger repair pages by it.
    public var opsAt: Date? = nil

    enum CodingKeys: String, CodingKey {
        case chatID = "_id"
        case username, ozhivashki, rev, ops
        case activeGenerations = "active_generations"
        case opsAt = "ops_at"
        case generationCount = "generation_count"
        case lastGenerationTime = "last_generation_time"
        case registeredAt = "registered_at"
        case referralCode = "referral_code"
        case referredBy = "referred_by"
        case referralBonusClaimed = "referral_bonus_claimed"
        case firstGenerationTime = "first_generation_time"
        case lastDailyBonusDate = "last_daily_bonus_date"
        case dailyBonusStreak = "daily_bonus_streak"
        case discountOffered = "discount_offered"
        case lastActivityTime = "last_activity_time"
        case advertisingSource = "advertising_source"
        case yookassaPayments = "yookassa_payments"
    }
}

extension UserRecord {
    /// Whether some applied operation is no longer in ``ops`` (the window of the latest
    /// ``Ledger/recentOperations`` overflowed): `rev` counts every operation applied, the
    /// registration's included, and each one appended exactly one entry to `ops`.
    var hasPrunedOperations: Bool { rev != Int64(ops.count) }
}

/// One operation recorded inside the user document, with what the ledger needs to
/// (re)write its entry: a crash between the user update and the ledger insert is repaired
/// from here.
public struct AppliedOperation: Codable, Sendable, Equatable {
    public var id: String
    /// The user's `rev` after this operation: a per-user sequence that orders the ledger.
    public var seq: Int64
    public var delta: Int64
    public var reason: String
    public var ref: String?
    public var at: Date
    public var balanceAfter: Int64

    enum CodingKeys: String, CodingKey {
        case id, seq, delta, reason, ref, at
        case balanceAfter = "balance_after"
    }
}
