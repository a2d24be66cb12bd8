import Foundation
import OzhMongo

extension MoneyAudit {
    /// The fields of a payment the audit reads.
    static let paymentProjection: BSONDocument = [
        "_id": 1, "chat_id": 1, "status": 1, "ozhivashki": 1, "created_at": 1, "checked_at": 1,
    ]

    /// `payment_credited_twice` of one user: one payment credited by more than one operation.
    func purchaseProblems(_ account: AuditedAccount) -> [AuditProblem] {
        var credits: [String: [String]] = [:]
        for operation in account.operations.values {
            if let payment = operation.purchasedPayment { credits[payment, default: []].append(operation.id) }
        }
        return credits.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { payment, ids in
            AuditProblem(
                .paymentCreditedTwice, chatID: account.chatID, paymentID: payment,
                detail: "credited by \(ids.count) operations: \(ids.sorted().joined(separator: ", "))")
        }
    }

    /// Every payment, `pageSize` at a time in `_id` order: a succeeded one must be credited
    /// (`purchase:<payment_id>`) with its `ozhivashki`, a canceled one must not be.
    func auditPayments(into report: inout AuditReport) async throws(AuditError) {
        var after: String?
        while true {
            let filter: BSONDocument = ["_id": .document(after.map { ["$gt": .string($0)] } ?? ["$gte": ""])]
            let page = try await read {
                try await payments.find(filter, sort: ["_id": 1], limit: options.pageSize, projection: Self.paymentProjection)
            }
            report.payments += page.count
            for document in page where document["status"]?.stringValue == "unknown_at_provider" {
                if let id = document["_id"]?.stringValue { report.unknownAtProvider.append(id) }
            }
            guard let last = page.last?["_id"]?.stringValue else { return }
            let candidates = try await paymentProblems(page)
            if !candidates.isEmpty {
                // Read again, payment first: the worker credits, then records the status.
                let ids = BSON.array(Array(Set(candidates.compactMap(\.paymentID))).sorted().map(BSON.string))
                let fresh = try await read { try await payments.find(["_id": ["$in": ids]], projection: Self.paymentProjection) }
                for problem in Self.confirmed(candidates, by: try await paymentProblems(fresh)) { report.add(problem) }
            }
            after = last
            if page.count < options.pageSize { return }
        }
    }

    /// The problems of `documents` (payments), reading their credits from the ledger and, for
    /// a credit whose ledger entry is missing (reported as `ledger_missing`), the user's `ops`.
    private func paymentProblems(_ documents: [BSONDocument]) async throws(AuditError) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        var records: [AuditedPayment] = []
        for document in documents {
            guard let record = AuditedPayment(document) else {
                problems.append(
                    AuditProblem(
                        .malformedRecord, paymentID: document["_id"]?.stringValue,
                        detail: "payment without a readable chat_id, status or ozhivashki"))
                continue
            }
            records.append(record)
        }
        let credits = try await purchaseCredits(records)
        let now = clock()
        for payment in records {
            let credit = credits[payment.operationID]
            switch payment.status {
            case "succeeded":
                if let credit, credit.delta != payment.ozhivashki {
                    problems.append(
                        AuditProblem(
                            .paymentWrongAmount, chatID: payment.chatID, paymentID: payment.id,
                            operationID: payment.operationID,
                            detail: "bought \(payment.ozhivashki) ozhivashki, credited \(credit.delta)"))
                } else if credit == nil, isPastGrace(payment.checkedAt, now: now) {
                    problems.append(
                        AuditProblem(
                            .paymentNotCredited, chatID: payment.chatID, paymentID: payment.id,
                            operationID: payment.operationID,
                            detail: "succeeded, but \(payment.operationID) was never applied"))
                }
            case "canceled":
                if let credit {
                    problems.append(
                        AuditProblem(
                            .canceledPaymentCredited, chatID: payment.chatID, paymentID: payment.id,
                            operationID: payment.operationID,
                            detail: "canceled, but credited \(credit.delta) ozhivashki"))
                }
            default:
                break
            }
        }
        return problems
    }

    /// `purchase:<payment_id>` → its operation, from the ledger or else from the payer's `ops`.
    private func purchaseCredits(_ payments: [AuditedPayment]) async throws(AuditError) -> [String: AuditedOperation] {
        var credits: [String: AuditedOperation] = [:]
        for batch in batches(payments) {
            let ids = BSON.array(batch.map { BSON.string($0.operationID) })
            let entries = try await read { try await ledger.find(["_id": ["$in": ids]], projection: Self.ledgerProjection) }
            for entry in entries.compactMap({ AuditedOperation($0, idKey: "_id") }) { credits[entry.id] = entry }
            let uncredited = batch.filter { credits[$0.operationID] == nil }
            guard !uncredited.isEmpty else { continue }
            let chats = BSON.array(Array(Set(uncredited.map(\.chatID))).sorted().map(BSON.int64))
            let payers = try await read { try await users.find(["_id": ["$in": chats]], projection: ["_id": 1, "ops": 1]) }
            let wanted = Set(uncredited.map(\.operationID))
            for payer in payers {
                for value in payer["ops"]?.arrayValue ?? [] {
                    if let op = value.documentValue.flatMap({ AuditedOperation($0, idKey: "id") }), wanted.contains(op.id) {
                        credits[op.id] = op
                    }
                }
            }
        }
        return credits
    }
}
