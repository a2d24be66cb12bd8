import Shared

/// The seed's user JSON, field for field and in the seed's order; absent values are `null`.
struct UserView: Encodable {
    let user: UserRecord
    let claimedToday: Bool

    init(_ user: UserRecord, calendar: BonusCalendar, now: Date) {
        self.user = user
        claimedToday = user.lastDailyBonusDate == calendar.day(of: now)
    }

    enum Keys: String, CodingKey {
        case chat_id, username, ozhivashki, generation_count, last_generation_time, registered_at, referral_code,
             referred_by, referral_bonus_claimed, first_generation_time, daily_bonus_claimed_today,
             daily_bonus_streak, discount_offered, last_activity_time, advertising_source, yookassa_payments
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(user.chatID, forKey: .chat_id)
        try c.encode(user.username, forKey: .username)
        try c.encode(user.ozhivashki, forKey: .ozhivashki)
        try c.encode(user.generationCount, forKey: .generation_count)
        try c.encode(user.lastGenerationTime.map(Timestamp.format), forKey: .last_generation_time)
        try c.encode(Timestamp.format(user.registeredAt), forKey: .registered_at)
        try c.encode(user.referralCode, forKey: .referral_code)
        try c.encode(user.referredBy, forKey: .referred_by)
        try c.encode(user.referralBonusClaimed, forKey: .referral_bonus_claimed)
        try c.encode(user.firstGenerationTime.map(Timestamp.format), forKey: .first_generation_time)
        try c.encode(claimedToday, forKey: .daily_bonus_claimed_today)
        try c.encode(user.dailyBonusStreak, forKey: .daily_bonus_streak)
        try c.encode(user.discountOffered, forKey: .discount_offered)
        try c.encode(Timestamp.format(user.lastActivityTime), forKey: .last_activity_time)
        try c.encode(user.advertisingSource, forKey: .advertising_source)
        try c.encode(user.yookassaPayments, forKey: .yookassa_payments)
    }
}

import Foundation

/// One ledger entry as `GET /users/{chat_id}/ledger` shows it.
struct LedgerEntryView: Encodable {
    let id: String
    let seq: Int64
    let delta: Int64
    let reason: String
    let ref: String?
    let at: String
    let balance_after: Int64

    init(_ entry: LedgerEntry) {
        id = entry.id
        seq = entry.seq
        delta = entry.delta
        reason = entry.reason
        ref = entry.ref
        at = Timestamp.format(entry.at)
        balance_after = entry.balanceAfter
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(seq, forKey: .seq)
        try c.encode(delta, forKey: .delta)
        try c.encode(reason, forKey: .reason)
        try c.encode(ref, forKey: .ref)
        try c.encode(at, forKey: .at)
        try c.encode(balance_after, forKey: .balance_after)
    }

    enum CodingKeys: String, CodingKey { case id, seq, delta, reason, ref, at, balance_after }
}
