import OzhMongo

/// What one operation does to a user: a balance delta plus other fields to set or increment
/// in the same atomic update. Built by a rule from the user's current state.
public struct BalanceChange: Sendable {
    /// Ozhivashki added (positive) or taken (negative); 0 for a stats-only operation.
    public var delta: Int64
    /// Why, e.g. `signup`, `daily_bonus`, `generation`, `refund`, `referral`, `purchase`.
    public var reason: String
    /// What it refers to (a job id, a payment id, a referred chat id).
    public var ref: String?
    /// Extra fields to `$set` in the same update.
    public var set: BSONDocument
    /// Extra fields to `$inc` in the same update.
    public var inc: BSONDocument

    public init(delta: Int64, reason: String, ref: String? = nil, set: BSONDocument = [:], inc: BSONDocument = [:]) {
        self.delta = delta
        self.reason = reason
        self.ref = ref
        self.set = set
        self.inc = inc
    }
}

/// How ``Ledger/apply(operationID:chatID:now:_:)`` ended.
public enum ApplyOutcome: Sendable {
    /// The operation changed the user now; the record is the user after it.
    case applied(UserRecord)
    /// The operation had already been applied earlier; the record is the user as it is.
    case alreadyApplied(UserRecord)

    /// The user after the call either way.
    public var user: UserRecord {
        switch self {
        case .applied(let user), .alreadyApplied(let user): return user
        }
    }
}
