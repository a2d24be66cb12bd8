import Foundation
import OzhQueue
import OzhSupport

extension GenerationService {
    /// How a refund went.
    public enum Refund: Sendable, Equatable {
        /// The ozhivashka was given back (now, or by this same refund before: a repeat replays
        /// the ledger operation and changes nothing); the user's balance.
        case refunded(balance: Int64)
        /// The charge was settled by success, or never made: nothing changed.
        case alreadySettled
    }

    /// The one refund path (the gateway's failed acceptance, a job that ends failed, the
    /// sweep): gives job `jobID`'s ozhivashka back to `chatID` once, an exactly-once ledger
    /// operation (`generation_refund:<job>`).
    public func refund(jobID: String, chatID: Int64) async throws -> Refund {
        do {
            return .refunded(balance: try await billing.refund(jobID: jobID, chatID: chatID, now: Date.nowMillis))
        } catch BillingError.alreadySettled {
            return .alreadySettled
        }
    }

    /// Settles job `jobID`'s success once (stats, referral bonus; `generation_success:<job>`) and
    /// returns the user's balance. Throws ``BillingError/alreadySettled(jobID:)`` when it was
    /// refunded meanwhile (then nothing changes).
    public func settleSuccess(jobID: String, chatID: Int64) async throws -> Int64 {
        try await billing.succeed(jobID: jobID, chatID: chatID, now: Date.nowMillis)
    }

    /// Marks job `jobID`'s record finished `failed` (with `error`, if any); a failed write is
    /// left to retention (the money is settled already).
    func recordFailed(jobID: String, error: JobError?) async {
        try? await store.finish(jobID: jobID, status: "failed", error: error, now: Date.nowMillis)
    }

    /// A job that ends failed: refund once through ``refund(jobID:chatID:)`` (unless this worker
    /// lost the job), log it, and record why.
    func settleFailure(_ attempt: some GenerationAttempt, chatID: Int64, _ failure: JobFailure) async throws {
        try await attempt.confirmHeld()
        switch try await refund(jobID: attempt.job.id, chatID: chatID) {
        case .refunded(let balance):
            attempt.logger.warning("generation failed; refunded", metadata: ["code": "\(failure.code)", "new_balance": "\(balance)"])
        case .alreadySettled:
            attempt.logger.warning("generation failed; it was settled already", metadata: ["code": "\(failure.code)"])
        }
        await recordFailed(jobID: attempt.job.id, error: JobError(code: failure.code, message: failure.message))
    }
}
