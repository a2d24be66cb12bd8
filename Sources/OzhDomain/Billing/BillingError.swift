import OzhSupport

/// Refusals of the billing rules, each with a stable code (the gateway maps them to HTTP).
public enum BillingError: CodedError, Equatable {
    case userNotFound(Int64)
    case userExists(Int64)
    case insufficientBalance(balance: Int64, needed: Int64)
    case dailyBonusAlreadyClaimed(day: String)
    /// Too many concurrent writers on one user; the caller may retry.
    case contention
    /// The user already has the allowed number of unfinished generations.
    case tooManyJobs(limit: Int)
    /// The generation was already settled the other way (refunded, or succeeded): success and
    /// refund of one job exclude each other.
    case alreadySettled(jobID: String)

    public var code: String {
        switch self {
        case .userNotFound: return "user_not_found"
        case .userExists: return "user_exists"
        case .insufficientBalance: return "insufficient_balance"
        case .dailyBonusAlreadyClaimed: return "daily_bonus_already_claimed"
        case .contention: return "busy_retry"
        case .tooManyJobs: return "too_many_jobs"
        case .alreadySettled: return "already_settled"
        }
    }

    public var message: String {
        switch self {
        case .userNotFound(let id): return "user \(id) does not exist"
        case .userExists(let id): return "user \(id) already exists"
        case .insufficientBalance(let balance, let needed): return "balance is \(balance), \(needed) needed"
        case .dailyBonusAlreadyClaimed(let day): return "the daily bonus for \(day) was already claimed"
        case .contention: return "the user is being updated concurrently; retry"
        case .tooManyJobs(let limit): return "at most \(limit) unfinished generations per user; wait for one to finish"
        case .alreadySettled(let job): return "generation \(job) was already settled"
        }
    }
}
