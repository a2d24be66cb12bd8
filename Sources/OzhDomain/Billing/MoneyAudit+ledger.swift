import Foundation
import OzhSupport

extension MoneyAudit {
    /// `ledger_missing`, `ledger_sum_mismatch` and `negative_balance` of one user.
    ///
    /// An operation of the user's `ops` without its ledger entry is a write in flight while it
    /// is younger than the grace period (its delta then counts towards the ledger's sum), and
    /// `ledger_missing` after. A legacy success (delta 0, applied before zero-delta operations
    /// were recorded) whose `generations` record says succeeded is not missing.
    func balanceProblems(_ account: AuditedAccount, now: Date) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        let unrecorded = account.unrecorded
        let inFlight = unrecorded.filter { !isPastGrace($0.at, now: now) }
        for operation in unrecorded where isPastGrace(operation.at, now: now) && !Self.isLegacySuccess(operation, of: account) {
            let at = operation.at.map(Timestamp.format) ?? "an unknown time"
            problems.append(
                AuditProblem(
                    .ledgerMissing, chatID: account.chatID, jobID: operation.generationJob, paymentID: operation.purchasedPayment,
                    operationID: operation.id, detail: "applied at \(at) with delta \(operation.delta), but the ledger has no entry"))
        }
        let recorded = account.ledger.values.reduce(Int64(0)) { $0 + $1.delta }
        let pending = inFlight.reduce(Int64(0)) { $0 + $1.delta }
        if recorded + pending != account.balance {
            let flight = inFlight.isEmpty ? "" : " (with \(inFlight.count) in flight, \(pending))"
            problems.append(
                AuditProblem(
                    .ledgerSumMismatch, chatID: account.chatID,
                    detail: "ozhivashki is \(account.balance) but its \(account.ledger.count) ledger entries sum to \(recorded + pending)\(flight)"))
        }
        if account.balance < 0 {
            problems.append(AuditProblem(.negativeBalance, chatID: account.chatID, detail: "ozhivashki is \(account.balance)"))
        }
        return problems
    }

    /// A zero-delta success from before successes were recorded in the ledger: its job's
    /// `generations` record is `succeeded`.
    static func isLegacySuccess(_ operation: AuditedOperation, of account: AuditedAccount) -> Bool {
        operation.kind == "generation_success" && operation.delta == 0 && account.jobStatus[operation.subject] == "succeeded"
    }
}
