import Foundation
import OzhDomain

extension YooKassaState {
    /// `POST /v3/refunds`: a replay, a conflict, a validation error, or a new refund of a
    /// `succeeded` payment for at most what is left of it. It succeeds at once and the
    /// `refund.succeeded` notification goes to the webhook URL.
    func refund(key: String, body: Data, now: Date = Date()) -> Answer {
        let fingerprint = YooKassaJSON.fingerprint(body)
        if let earlier = earlierAnswer(key, operation: "refund", fingerprint: fingerprint, now: now) { return earlier }
        let request: YooKassaRefundRequest
        do {
            request = try YooKassaRefundRequest.parse(body)
        } catch {
            return self.error(error)
        }
        guard var payment = payments[request.paymentId] else { return error(.notFound(request.paymentId)) }
        guard payment.status == .succeeded else {
            return error(
                .invalidRequest(
                    "Payment is in status \(payment.status.rawValue) and can't be refunded; it must be succeeded",
                    parameter: "payment_id"))
        }
        guard request.currency == payment.currency else {
            return error(.invalidRequest("The refund's currency differs from the payment's", parameter: "amount.currency"))
        }
        guard request.amount.kopecks <= payment.amount.kopecks - payment.refunded.kopecks else {
            return error(.invalidRequest("The refund amount is larger than what is left of the payment", parameter: "amount.value"))
        }
        var id = YooKassaRefund.newId()
        while refunds[id] != nil { id = YooKassaRefund.newId() }
        let refund = YooKassaRefund(
            id: id, paymentId: payment.id, amount: request.amount, currency: request.currency,
            description: request.description, createdAt: now)
        refunds[id] = refund
        payment.refunded = YooKassaMoney(kopecks: payment.refunded.kopecks + request.amount.kopecks)
        payments[payment.id] = payment
        idempotence.store(key, operation: "refund", fingerprint: fingerprint, status: 200, body: refund.json, now: now.timeIntervalSince1970)
        stateChanged()
        if let url = webhookURL {
            webhooks.enqueue(
                event: "refund.succeeded", object: refund.api, paymentId: payment.id, url: url,
                copies: faults.duplicateDeliveries, drop: faults.dropWebhooks)
        }
        return (200, refund.json)
    }

    /// `GET /v3/refunds/{id}`.
    func refundAnswer(_ id: String) -> Answer {
        guard let refund = refunds[id] else { return error(.refundNotFound(id)) }
        return (200, refund.json)
    }
}
