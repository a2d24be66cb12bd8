import Foundation
import Logging
import OzhMongo
import OzhSupport

/// Payments on our side: the `payments` collection, the user's `yookassa_payments`, and
/// crediting a paid pack exactly once (ledger operation `purchase:<payment_id>`).
public struct PaymentService: Sendable {
    let payments: MongoCollection
    let users: MongoCollection
    public let ledger: Ledger
    /// How many of a user's latest payments the user document keeps (`USER_PAYMENTS_KEPT`).
    public let userPaymentsKept: Int

    public init(mongo: MongoClient, ledger: Ledger, userPaymentsKept: Int = 50) {
        payments = mongo.collection("payments")
        users = mongo.collection("users")
        self.ledger = ledger
        self.userPaymentsKept = userPaymentsKept
    }

    /// What was ordered, fixed when the gateway accepts the request.
    public struct Order: Codable, Sendable, Equatable {
        public var chatID: Int64
        public var item: String
        public var quantity: Int
        public var ozhivashki: Int64
        public var amountKopecks: Int64

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id"
            case item, quantity, ozhivashki
            case amountKopecks = "amount_kopecks"
        }

        public init(chatID: Int64, item: String, quantity: Int, ozhivashki: Int64, amountKopecks: Int64) {
            self.chatID = chatID
            self.item = item
            self.quantity = quantity
            self.ozhivashki = ozhivashki
            self.amountKopecks = amountKopecks
        }
    }

    /// Records a payment YooKassa created (idempotent: a repeat changes nothing). Reconciliation
    /// first re-reads it at `firstCheckAt` (`next_check_at`; `checks` counts the re-reads made).
    public func recordCreated(_ payment: YooKassaPayment, order: Order, jobID: String, now: Date, firstCheckAt: Date) async throws {
        try await payments.updateOne(
            ["_id": .string(payment.id)],
            [
                "$setOnInsert": [
                    "chat_id": .int64(order.chatID), "job_id": .string(jobID), "item": .string(order.item),
                    "quantity": .int64(Int64(order.quantity)), "ozhivashki": .int64(order.ozhivashki * Int64(order.quantity)),
                    "amount": .string(PackCatalog.format(kopecks: order.amountKopecks)), "currency": "RUB",
                    "status": .string(payment.status), "confirmation_url": payment.confirmationURL.map(BSON.string) ?? .null,
                    "history": .array([["status": .string(payment.status), "at": .date(now)]]), "created_at": .date(now),
                    "next_check_at": .date(firstCheckAt), "checks": .int64(0),
                ]
            ], upsert: true)
        let updated = try await users.findOneAndUpdate(
            ["_id": .int64(order.chatID), "yookassa_payments.\(payment.id)": ["$exists": false]],
            [
                "$set": [
                    "yookassa_payments.\(payment.id)": [
                        "status": .string(payment.status), "amount": .string(PackCatalog.format(kopecks: order.amountKopecks)),
                        "item": .string(order.item), "quantity": .int64(Int64(order.quantity)), "created_at": .date(now),
                    ]
                ]
            ])
        if updated != nil { await ledger.userCache.invalidate(order.chatID) }
        // The update answers with the entries, so the trim reads nothing more (a repeat, whose
        // entry was there already, reads them: its first run may have stopped before the trim).
        try await trimUserPayments(chatID: order.chatID, entries: updated.map { $0["yookassa_payments"]?.documentValue ?? [:] })
    }

    /// Applies what YooKassa says of a payment now: `succeeded` credits its pack once,
    /// `canceled` records why; other states only update the status. Returns whether it credited now.
    @discardableResult
    public func settle(_ payment: YooKassaPayment, now: Date) async throws -> Bool {
        guard let record = try await payments.findOne(["_id": .string(payment.id)]) else {
            throw PaymentError.unknownPayment(payment.id)
        }
        guard let chatID = record["chat_id"]?.int64Value, let ozhivashki = record["ozhivashki"]?.int64Value else {
            throw PaymentError.unknownPayment(payment.id)
        }
        var credited = false
        if payment.status == "succeeded" {
            // The amount must be what we asked for; YooKassa is the source of truth on status only.
            guard payment.amountValue == record["amount"]?.stringValue else { throw PaymentError.amountMismatch(payment.id) }
            let outcome = try await ledger.apply(operationID: "purchase:\(payment.id)", chatID: chatID, now: now) { _ in
                BalanceChange(delta: ozhivashki, reason: "purchase", ref: payment.id)
            }
            if case .applied = outcome { credited = true }
        }
        // The user's copy changes only with the status (a re-read that still finds `pending`
        // writes nothing there: reconciliation re-reads many of those). Written before `payments`, whose
        // status decides it: a crash in between is repaired by the job's retry.
        if record["status"]?.stringValue != payment.status || credited {
            var userSet: BSONDocument = [
                "yookassa_payments.\(payment.id).status": .string(payment.status),
                "yookassa_payments.\(payment.id).updated_at": .date(now),
            ]
            if let reason = payment.cancellationReason { userSet["yookassa_payments.\(payment.id).cancellation_reason"] = .string(reason) }
            // Only an entry still kept (``trimUserPayments(chatID:entries:)``): an old one is not re-created.
            try await users.updateOne(
                ["_id": .int64(chatID), "yookassa_payments.\(payment.id)": ["$exists": true]],
                ["$set": .document(userSet)])
            await ledger.userCache.invalidate(chatID)
        }
        var set: BSONDocument = ["status": .string(payment.status), "checked_at": .date(now)]
        if payment.status == "succeeded" { set["credited"] = true }
        if credited { set["credited_at"] = .date(now) }
        if let reason = payment.cancellationReason { set["cancellation_reason"] = .string(reason) }
        if record["status"]?.stringValue != payment.status {
            try await payments.updateOne(
                ["_id": .string(payment.id)],
                [
                    "$set": .document(set), "$push": ["history": ["status": .string(payment.status), "at": .date(now)]],
                ])
        } else {
            try await payments.updateOne(["_id": .string(payment.id)], ["$set": .document(set)])
        }
        return credited
    }

    /// Creates the indexes reconciliation relies on.
    public func createIndexes() async throws {
        try await payments.createIndex(["status": 1, "created_at": 1], name: "status_created_at")
        try await payments.createIndex(["status": 1, "next_check_at": 1], name: "status_next_check_at")
    }
}

/// Refusals of the payment side.
public enum PaymentError: CodedError, Equatable {
    case unknownPayment(String)
    case amountMismatch(String)
    /// A refund of a payment that was never credited, or in another currency.
    case refundMismatch(String)

    public var code: String {
        switch self {
        case .unknownPayment: return "payment_unknown"
        case .amountMismatch: return "payment_amount_mismatch"
        case .refundMismatch: return "refund_mismatch"
        }
    }

    public var message: String {
        switch self {
        case .unknownPayment(let id): return "payment \(id) is not one of ours"
        case .amountMismatch(let id): return "payment \(id) was paid with another amount than ordered"
        case .refundMismatch(let id): return "refund \(id) does not match a credited payment of ours"
        }
    }
}
