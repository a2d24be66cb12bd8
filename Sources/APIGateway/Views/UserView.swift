import Foundation
import OzhDomain
import OzhSupport

/// The seed's user JSON, field for field and in the seed's order; absent values are `null`.
struct UserView {
    let user: UserRecord
    let claimedToday: Bool

    init(_ user: UserRecord, calendar: BonusCalendar, now: Date) {
        self.user = user
        claimedToday = user.lastDailyBonusDate == calendar.day(of: now)
    }

    /// The seed's fields, in the seed's order.
    var json: JSONValue {
        .object([
            ("chat_id", .int(user.chatID)),
            ("username", .string(user.username)),
            ("ozhivashki", .int(user.ozhivashki)),
            ("generation_count", .int(user.generationCount)),
            ("last_generation_time", .string(user.lastGenerationTime.map(Timestamp.format))),
            ("registered_at", .string(Timestamp.format(user.registeredAt))),
            ("referral_code", .string(user.referralCode)),
            ("referred_by", .int(user.referredBy)),
            ("referral_bonus_claimed", .bool(user.referralBonusClaimed)),
            ("first_generation_time", .string(user.firstGenerationTime.map(Timestamp.format))),
            ("daily_bonus_claimed_today", .bool(claimedToday)),
            ("daily_bonus_streak", .int(user.dailyBonusStreak)),
            ("discount_offered", .bool(user.discountOffered)),
            ("last_activity_time", .string(Timestamp.format(user.lastActivityTime))),
            ("advertising_source", .string(user.advertisingSource)),
            ("yookassa_payments", user.yookassaPayments.json),
        ])
    }
}


/// One ledger entry as `GET /users/{chat_id}/ledger` shows it.
enum LedgerEntryView {
    static func json(_ entry: LedgerEntry) -> JSONValue {
        .object([
            ("id", .string(entry.id)), ("seq", .int(entry.seq)), ("delta", .int(entry.delta)),
            ("reason", .string(entry.reason)), ("ref", .string(entry.ref)), ("at", .string(Timestamp.format(entry.at))),
            ("balance_after", .int(entry.balanceAfter)),
        ])
    }
}
