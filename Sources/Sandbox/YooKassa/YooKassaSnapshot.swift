import Foundation
import OzhDomain
import OzhSupport

/// The sandbox's payments and refunds as the state file (`SANDBOX_YOOKASSA_STATE_FILE`) holds them.
struct YooKassaSnapshot: Codable, Sendable {
    struct Payment: Codable, Sendable {
        var id: String
        var status: String
        var amountKopecks: Int
        var currency: String
        var capture: Bool
        var confirmationURL: String
        var returnURL: String
        var description: String?
        /// The metadata object as JSON text.
        var metadata: String?
        var hasReceipt: Bool
        var createdAt: Date
        var capturedAt: Date?
        var expiresAt: Date?
        var cancellationParty: String?
        var cancellationReason: String?
        var shopId: String
        var idempotenceKey: String
        var refundedKopecks: Int
    }

    struct Refund: Codable, Sendable {
        var id: String
        var paymentId: String
        var status: String
        var amountKopecks: Int
        var currency: String
        var description: String?
        var createdAt: Date
    }

    /// Payments in creation order.
    var payments: [Payment]
    var refunds: [Refund]
}

extension YooKassaSnapshot.Payment {
    init(_ payment: YooKassaPayment) {
        self.init(
            id: payment.id, status: payment.status.rawValue, amountKopecks: payment.amount.kopecks, currency: payment.currency,
            capture: payment.capture, confirmationURL: payment.confirmationURL, returnURL: payment.returnURL,
            description: payment.description, metadata: payment.metadata.map { SandboxJSON.value($0).serialized },
            hasReceipt: payment.hasReceipt,
            createdAt: payment.createdAt, capturedAt: payment.capturedAt, expiresAt: payment.expiresAt,
            cancellationParty: payment.cancellation?.party, cancellationReason: payment.cancellation?.reason,
            shopId: payment.shopId, idempotenceKey: payment.idempotenceKey, refundedKopecks: payment.refunded.kopecks)
    }

    /// The payment, or nil when the record is not one this sandbox wrote.
    var payment: YooKassaPayment? {
        guard let status = YooKassaPayment.Status(rawValue: status) else { return nil }
        var payment = YooKassaPayment(
            id: id, status: status, amount: YooKassaMoney(kopecks: amountKopecks), currency: currency, capture: capture,
            confirmationURL: confirmationURL, returnURL: returnURL, description: description,
            metadata: metadata.flatMap { try? JSONDecoder().decode(JSONStringMap.self, from: Data($0.utf8)) }, hasReceipt: hasReceipt,
            createdAt: createdAt, capturedAt: capturedAt, expiresAt: expiresAt, shopId: shopId, idempotenceKey: idempotenceKey)
        if let cancellationParty, let cancellationReason { payment.cancellation = (cancellationParty, cancellationReason) }
        payment.refunded = YooKassaMoney(kopecks: refundedKopecks)
        return payment
    }
}

extension YooKassaSnapshot.Refund {
    init(_ refund: YooKassaRefund) {
        self.init(
            id: refund.id, paymentId: refund.paymentId, status: refund.status, amountKopecks: refund.amount.kopecks,
            currency: refund.currency, description: refund.description, createdAt: refund.createdAt)
    }

    var refund: YooKassaRefund {
        YooKassaRefund(
            id: id, paymentId: paymentId, status: status, amount: YooKassaMoney(kopecks: amountKopecks), currency: currency,
            description: description, createdAt: createdAt)
    }
}
