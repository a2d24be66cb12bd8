import Foundation
import Logging
import OzhQueue
import OzhSupport

extension PaymentService {
    /// What makes two `create_payment` requests the same for their `Idempotency-Key`: the
    /// order's fields, in a fixed order. Never the payload's JSON: `JSONEncoder` writes the keys
    /// in an order that changes between encodings and processes, so a genuine retry was refused
    /// as `idempotency_key_reused`.
    public static func fingerprint(_ order: Order) -> String {
        IdempotencyStore.fingerprint(
            [
                "POST create_payment", String(order.chatID), order.item, String(order.quantity),
                String(order.ozhivashki), String(order.amountKopecks),
            ].map { Data($0.utf8) })
    }

    /// The gateway's half of creating a payment: claims `idempotencyKey` (a retry gets the same
    /// job) and queues the `create_payment` job for `order` with the job hash's `callback`
    /// fields (queueing by id is idempotent). Returns the job's id.
    public func placeOrder(
        _ order: Order, idempotencyKey: String?, callback: [(String, String)],
        idempotency: IdempotencyStore, queue: JobQueue
    ) async throws -> String {
        var jobID = UUID().uuidString.lowercased()
        if let idempotencyKey {
            switch try await idempotency.claim(key: idempotencyKey, fingerprint: Self.fingerprint(order)) {
            case .new(let id), .existing(let id): jobID = id
            }
        }
        try await queue.enqueue(.createPayment, payload: order, chatID: order.chatID, maxAttempts: 8, id: jobID, fields: callback)
        return jobID
    }

    /// The payment worker's half, once YooKassa created `payment` for job `jobID`: records it
    /// (first re-read on `schedule`), counts it and logs it with `logger`; the job's result.
    public func recordCreation(
        _ payment: YooKassaPayment, order: Order, jobID: String, schedule: ReconcileSchedule,
        logger: Logger
    ) async throws -> CreatedPayment {
        let now = Date.nowMillis
        try await recordCreated(payment, order: order, jobID: jobID, now: now, firstCheckAt: schedule.firstCheck(createdAt: now))
        PaymentMetrics.recordCreated()
        logger.info("payment created", metadata: ["payment_id": "\(payment.id)", "amount": "\(payment.amountValue)"])
        return CreatedPayment(paymentURL: payment.confirmationURL ?? "", paymentID: payment.id)
    }
}
