import Foundation
import OzhMongo

extension PaymentService {
    /// A page of pending payments whose re-read is due at `now`, in `_id` order after `afterID`.
    /// Documents written before `next_check_at` existed are due `legacyAfter` after creation.
    public func duePayments(now: Date, legacyAfter: Duration, afterID: String?, limit: Int) async throws -> [DuePayment] {
        var filter: BSONDocument = [
            "status": ["$in": .array(Self.waitingStatuses)],
            "$or": [
                ["next_check_at": ["$lte": .date(now)]],
                ["next_check_at": ["$exists": false], "created_at": ["$lt": .date(now - legacyAfter.timeInterval)]],
            ],
        ]
        if let afterID { filter["_id"] = ["$gt": .string(afterID)] }
        let documents = try await payments.find(
            filter, sort: ["_id": 1], limit: limit,
            projection: ["_id": 1, "checks": 1, "created_at": 1])
        return documents.compactMap { document in
            guard let id = document["_id"]?.stringValue else { return nil }
            return DuePayment(
                id: id, checks: Int(document["checks"]?.int64Value ?? 0),
                createdAt: document["created_at"]?.dateValue ?? now)
        }
    }

    /// Records that re-read number `checks + 1` of each payment was queued and schedules the one
    /// after it (`next` nil: no more). Compare-and-set on `checks`, one update per group of
    /// payments with the same `checks` and `next`; returns how many were recorded (a payment
    /// another worker recorded first is not counted).
    public func claimChecks(_ claims: [(payment: DuePayment, next: Date?)], now: Date) async throws -> Int {
        struct Group: Hashable {
            var checks: Int
            var next: Date?
        }
        var claimed = 0
        for (group, members) in Dictionary(grouping: claims, by: { Group(checks: $0.payment.checks, next: $0.next) }) {
            let filter: BSONDocument = [
                "_id": ["$in": .array(members.map { .string($0.payment.id) })],
                "status": ["$in": .array(Self.waitingStatuses)],
                "checks": group.checks == 0 ? ["$in": [.int64(0), .null]] : .int64(Int64(group.checks)),
            ]
            var set: BSONDocument = [
                "checks": .int64(Int64(group.checks + 1)), "next_check_at": group.next.map(BSON.date) ?? .null,
                "last_check_queued_at": .date(now),
            ]
            if group.next == nil { set["reconcile_ended"] = "confirmation_expired" }
            claimed += try await payments.updateMany(filter, ["$set": .document(set)]).modifiedCount
        }
        return claimed
    }

    /// Counts a 404 from YooKassa for a payment we hold. At the `limit`-th one the payment is
    /// marked `unknown_at_provider` and is no longer re-read. Returns whether it was marked now.
    public func recordNotFound(_ paymentID: String, limit: Int, now: Date) async throws -> Bool {
        let waiting: BSONDocument = ["_id": .string(paymentID), "status": ["$in": .array(Self.waitingStatuses)]]
        guard
            let record = try await payments.findOneAndUpdate(
                waiting, ["$inc": ["not_found": 1], "$set": ["last_not_found_at": .date(now)]])
        else { return false }
        guard let count = record["not_found"]?.int64Value, count >= Int64(limit) else { return false }
        let marked =
            try await payments.updateOne(
                waiting,
                [
                    "$set": [
                        "status": "unknown_at_provider", "unknown_at_provider_at": .date(now), "next_check_at": .null, "checked_at": .date(now),
                    ],
                    "$push": ["history": ["status": "unknown_at_provider", "at": .date(now)]],
                ]
            ).modifiedCount == 1
        if marked, let chatID = record["chat_id"]?.int64Value {
            try await users.updateOne(
                ["_id": .int64(chatID), "yookassa_payments.\(paymentID)": ["$exists": true]],
                [
                    "$set": [
                        "yookassa_payments.\(paymentID).status": "unknown_at_provider", "yookassa_payments.\(paymentID).updated_at": .date(now),
                    ]
                ])
            await ledger.userCache.invalidate(chatID)
        }
        return marked
    }

    /// Whether `paymentID` is a payment this service created (the webhook drops any other).
    public func isOurs(_ paymentID: String) async throws -> Bool {
        try await payments.findOne(["_id": .string(paymentID)], projection: ["_id": 1]) != nil
    }

    /// How many payments are marked `unknown_at_provider` (for `/metrics`).
    public func unknownAtProviderCount() async throws -> Int {
        try await payments.countDocuments(["status": "unknown_at_provider"])
    }
}
