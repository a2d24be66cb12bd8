import Foundation
import Logging
import OzhMongo

/// The money side of a generation, every step an exactly-once ledger operation keyed by the
/// job id: charge at acceptance, then either success (stats, referral) or refund.
///
/// The charge puts the job into the user's `active_generations`; a settlement (success or
/// refund) is applied only while the job is still there and takes it out in the same atomic
/// compare-and-set, so for one job at most one of them is ever applied. Both are durable
/// ledger entries (`generation_success:<job>` has delta 0), so no decision about a job's money
/// ever rests on its Redis record, which expires and can be lost.
public struct GenerationBilling: Sendable {
    public let ledger: Ledger
    /// Unfinished generations a user may have at once (`MAX_ACTIVE_GENERATIONS`, default 2).
    public let maxActive: Int

    public init(ledger: Ledger, maxActive: Int) {
        self.ledger = ledger
        self.maxActive = maxActive
    }

    /// What the charge decided about the job.
    public struct Charge: Sendable, Equatable {
        public var newBalance: Int64
        /// Bonus images: 2 on the first generation, else 1 with a daily streak of 3+, else 0.
        public var bonusImages: Int
    }

    /// Takes 1 ozhivashka for job `jobID` (402 `insufficient_balance` at 0, 429 `too_many_jobs`
    /// over the limit) and decides the bonus images. Applying it again changes nothing.
    public func charge(jobID: String, chatID: Int64, now: Date) async throws -> Charge {
        let maxActive = self.maxActive
        let outcome = try await ledger.apply(operationID: "generation_charge:\(jobID)", chatID: chatID, now: now) { user in
            let active = user.activeGenerations ?? []
            guard active.count < maxActive else { throw BillingError.tooManyJobs(limit: maxActive) }
            guard user.ozhivashki >= 1 else { throw BillingError.insufficientBalance(balance: user.ozhivashki, needed: 1) }
            return BalanceChange(
                delta: -1, reason: "generation", ref: jobID,
                set: [
                    "active_generations": .array((active + [jobID]).map(BSON.string)), "last_activity_time": .date(now),
                ])
        }
        let user = outcome.user
        let first = user.generationCount == 0 && (user.activeGenerations ?? []).count <= 1
        let bonus = first ? 2 : (user.dailyBonusStreak >= 3 ? 1 : 0)
        return Charge(newBalance: user.ozhivashki, bonusImages: bonus)
    }

    /// Records a successful generation: count, times, and the referral bonus on a referred
    /// user's first success. Returns the user's balance. Throws ``BillingError/alreadySettled(jobID:)``
    /// when the job was refunded meanwhile (then nothing changes).
    public func succeed(jobID: String, chatID: Int64, now: Date) async throws -> Int64 {
        let outcome = try await ledger.apply(operationID: "generation_success:\(jobID)", chatID: chatID, now: now) { user in
            let active = user.activeGenerations ?? []
            guard active.contains(jobID) else { throw BillingError.alreadySettled(jobID: jobID) }
            var set: BSONDocument = [
                "active_generations": .array(active.filter { $0 != jobID }.map(BSON.string)),
                "last_generation_time": .date(now), "last_activity_time": .date(now),
            ]
            if user.firstGenerationTime == nil { set["first_generation_time"] = .date(now) }
            if user.referredBy != nil, !user.referralBonusClaimed { set["referral_bonus_claimed"] = true }
            return BalanceChange(delta: 0, reason: "generation_success", ref: jobID, set: set, inc: ["generation_count": 1])
        }
        let user = outcome.user
        if let referrer = user.referredBy, user.referralBonusClaimed {
            do {
                _ = try await ledger.apply(operationID: "referral_bonus:\(chatID)", chatID: referrer, now: now) { _ in
                    BalanceChange(delta: 1, reason: "referral", ref: String(chatID))
                }
            } catch BillingError.userNotFound {
                // The referrer was deleted: nothing to credit.
            }
        }
        return user.ozhivashki
    }

    /// Gives the ozhivashka back for a job that ended failed (or can no longer run). Returns the
    /// user's balance. Throws ``BillingError/alreadySettled(jobID:)`` when the job succeeded
    /// meanwhile, or was never charged (then nothing changes).
    @discardableResult
    public func refund(jobID: String, chatID: Int64, now: Date) async throws -> Int64 {
        let outcome = try await ledger.apply(operationID: "generation_refund:\(jobID)", chatID: chatID, now: now) { user in
            let active = user.activeGenerations ?? []
            guard active.contains(jobID) else { throw BillingError.alreadySettled(jobID: jobID) }
            return BalanceChange(
                delta: 1, reason: "refund", ref: jobID,
                set: [
                    "active_generations": .array(active.filter { $0 != jobID }.map(BSON.string))
                ])
        }
        return outcome.user.ozhivashki
    }

    /// The user's balance (0 when the user is gone).
    public func balance(chatID: Int64) async throws -> Int64 {
        try await ledger.users.findOne(["_id": .int64(chatID)], projection: ["ozhivashki": 1])?["ozhivashki"]?.int64Value ?? 0
    }

    /// How a job's charge stands, from MongoDB alone.
    public enum Settlement: Sendable, Equatable {
        /// Charged and not settled: the job is in the user's `active_generations`.
        case unsettled
        /// Settled by success.
        case succeeded
        /// Settled by refund.
        case refunded
        /// Neither charged nor settled as far as MongoDB knows (or the user is gone).
        case notCharged
    }

    /// Reads how job `jobID` of `chatID` stands: unsettled while it is in the user's
    /// `active_generations`, else settled the way its operations (recent `ops`, then the
    /// ledger) say; neither found is ``Settlement/notCharged``.
    public func settlement(jobID: String, chatID: Int64) async throws -> Settlement {
        guard let user = try await ledger.users.findOne(["_id": .int64(chatID)], as: UserRecord.self) else { return .notCharged }
        if (user.activeGenerations ?? []).contains(jobID) { return .unsettled }
        let success = "generation_success:\(jobID)", refund = "generation_refund:\(jobID)"
        if user.ops.contains(where: { $0.id == refund }) { return .refunded }
        if user.ops.contains(where: { $0.id == success }) { return .succeeded }
        let found = Set(
            try await ledger.ledger.find(["_id": ["$in": [.string(success), .string(refund)]]], projection: ["_id": 1])
                .compactMap { $0["_id"]?.stringValue })
        if found.contains(refund) { return .refunded }
        if found.contains(success) { return .succeeded }
        return .notCharged
    }
}
