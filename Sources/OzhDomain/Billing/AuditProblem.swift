import Foundation
import OzhSupport

/// One inconsistency the money audit found, with the ids an operator needs to look at it.
public struct AuditProblem: Sendable, Hashable {
    /// What is wrong; the raw value is the stable code printed and exported as a metric label.
    public enum Code: String, Sendable, CaseIterable, Comparable {
        /// The user's ledger deltas do not sum to its `ozhivashki`.
        case ledgerSumMismatch = "ledger_sum_mismatch"
        /// A balance below zero.
        case negativeBalance = "negative_balance"
        /// An operation in the user's `ops`, older than the grace period, with no ledger entry.
        case ledgerMissing = "ledger_missing"
        /// Ledger entries of a chat id that has no user.
        case ledgerOrphan = "ledger_orphan"
        /// A generation charge with neither success nor refund, its job no longer active.
        case chargeUnsettled = "charge_unsettled"
        /// Both a success and a refund for one job.
        case doubleSettlement = "double_settlement"
        /// A success or refund for a job that was never charged.
        case settlementWithoutCharge = "settlement_without_charge"
        /// An `active_generations` entry whose job was already settled or has finished.
        case activeOfFinishedJob = "active_of_finished_job"
        /// An `active_generations` entry with no charge.
        case activeWithoutCharge = "active_without_charge"
        /// A succeeded payment whose pack was never credited.
        case paymentNotCredited = "payment_not_credited"
        /// A payment credited by more than one ledger entry.
        case paymentCreditedTwice = "payment_credited_twice"
        /// A payment credited with another amount than it bought.
        case paymentWrongAmount = "payment_wrong_amount"
        /// A canceled payment that was credited.
        case canceledPaymentCredited = "canceled_payment_credited"
        /// A user, ledger or payment document the audit cannot read (missing or mistyped fields).
        case malformedRecord = "malformed_record"

        public static func < (lhs: Code, rhs: Code) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var code: Code
    /// The user concerned (also the chat of an orphaned ledger entry).
    public var chatID: Int64?
    /// The generation job concerned.
    public var jobID: String?
    /// The YooKassa payment concerned.
    public var paymentID: String?
    /// The ledger operation concerned (e.g. `generation_charge:<job>`).
    public var operationID: String?
    /// Human-readable facts (balances, statuses); never a secret.
    public var detail: String

    public init(
        _ code: Code, chatID: Int64? = nil, jobID: String? = nil, paymentID: String? = nil,
        operationID: String? = nil, detail: String
    ) {
        self.code = code
        self.chatID = chatID
        self.jobID = jobID
        self.paymentID = paymentID
        self.operationID = operationID
        self.detail = detail
    }

    /// The problem without its detail: the same fault seen twice (first pass and re-read) has
    /// the same key even when a balance in the detail moved.
    var key: String { "\(code.rawValue) \(ids)" }

    /// `chat_id=42 job_id=… payment_id=… operation_id=…`, only the ids that are set.
    public var ids: String {
        [("chat_id", chatID.map(String.init)), ("job_id", jobID), ("payment_id", paymentID), ("operation_id", operationID)]
            .compactMap { name, value in value.map { "\(name)=\($0)" } }
            .joined(separator: " ")
    }

    /// One line for a terminal: `<code> <ids>: <detail>`.
    public var line: String { "\(code.rawValue) \(ids): \(detail)" }

    /// The problem as a JSON object (ids that are not set are left out).
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [("code", .string(code.rawValue))]
        if let chatID { fields.append(("chat_id", .int(chatID))) }
        if let jobID { fields.append(("job_id", .string(jobID))) }
        if let paymentID { fields.append(("payment_id", .string(paymentID))) }
        if let operationID { fields.append(("operation_id", .string(operationID))) }
        fields.append(("detail", .string(detail)))
        return .object(fields)
    }
}
