import Foundation

extension PaymentService {
    /// Takes back a `succeeded` refund's share of its payment's ozhivashki once (ledger
    /// `purchase_refund:<refund_id>`, reason `purchase_refund`, ref the refund id). The balance
    /// never goes below 0: what was already spent is recorded as `unrecovered` in the payment's
    /// `refunds.<refund_id>` = `{amount, ozhivashki_due, taken_back, unrecovered, at}`.
    /// A partial refund takes back the proportional whole number (rounded down).
    public func settleRefund(_ refund: YooKassaRefund, now: Date) async throws -> RefundSettlement {
        guard let record = try await payments.findOne(["_id": .string(refund.paymentID)]),
            let chatID = record["chat_id"]?.int64Value, let ozhivashki = record["ozhivashki"]?.int64Value
        else {
            throw PaymentError.unknownPayment(refund.paymentID)
        }
        guard record["credited"]?.boolValue == true, refund.currency == (record["currency"]?.stringValue ?? "RUB"),
            let paid = record["amount"]?.stringValue.flatMap(PackCatalog.kopecks), paid > 0,
            let refunded = PackCatalog.kopecks(refund.amountValue), refunded <= paid
        else {
            throw PaymentError.refundMismatch(refund.id)
        }
        let due = refunded == paid ? ozhivashki : ozhivashki * refunded / paid
        let operationID = RefundSettlement.operationID(refund.id)
        let outcome = try await ledger.apply(operationID: operationID, chatID: chatID, now: now) { user in
            BalanceChange(delta: -min(due, max(0, user.ozhivashki)), reason: "purchase_refund", ref: refund.id)
        }
        let takenBack = try await takenBack(operationID, outcome: outcome)
        let appliedNow: Bool
        if case .applied = outcome { appliedNow = true } else { appliedNow = false }
        try await payments.updateOne(
            ["_id": .string(refund.paymentID), "refunds.\(refund.id)": ["$exists": false]],
            [
                "$set": [
                    "refunds.\(refund.id)": [
                        "amount": .string(refund.amountValue), "ozhivashki_due": .int64(due), "taken_back": .int64(takenBack),
                        "unrecovered": .int64(due - takenBack), "at": .date(now),
                    ]
                ],
                "$push": ["history": ["status": "refunded", "refund_id": .string(refund.id), "at": .date(now)]],
            ])
        return RefundSettlement(
            refundID: refund.id, paymentID: refund.paymentID, chatID: chatID, due: due,
            takenBack: takenBack, appliedNow: appliedNow)
    }

    /// How much the applied operation took (its delta, from the user's recent ops or the ledger).
    private func takenBack(_ operationID: String, outcome: ApplyOutcome) async throws -> Int64 {
        if let operation = outcome.user.ops.first(where: { $0.id == operationID }) { return -operation.delta }
        let entry = try await ledger.ledger.findOne(["_id": .string(operationID)], projection: ["delta": 1])
        return -(entry?["delta"]?.int64Value ?? 0)
    }
}
