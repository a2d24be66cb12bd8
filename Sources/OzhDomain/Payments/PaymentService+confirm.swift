import Foundation
import Logging
import OzhSupport

extension PaymentService {
    /// Confirms a payment from what YooKassa says of it now (``settle(_:now:)``: credits a
    /// `succeeded` pack once), counts and logs it with `logger`. Throws ``PaymentError`` when the
    /// payment is not ours or was paid with another amount.
    public func confirm(_ payment: YooKassaPayment, logger: Logger) async throws -> PaymentCheck {
        let credited = try await settle(payment, now: Date.nowMillis)
        PaymentMetrics.recordConfirmed(status: payment.status, credited: credited)
        logger.info(
            "payment checked",
            metadata: [
                "payment_id": "\(payment.id)", "status": "\(payment.status)", "credited_now": "\(credited)",
            ])
        return PaymentCheck(paymentID: payment.id, status: payment.status, creditedNow: credited)
    }

    /// YooKassa does not know a payment we hold: counted; the `limit`-th time it is marked
    /// `unknown_at_provider` and reconciliation leaves it alone.
    public func confirmNotFound(_ paymentID: String, limit: Int, logger: Logger) async throws -> PaymentCheck {
        let marked = try await recordNotFound(paymentID, limit: limit, now: Date.nowMillis)
        if marked {
            PaymentMetrics.recordUnknownAtProvider()
            logger.error("YooKassa does not know this payment; marked unknown_at_provider", metadata: ["payment_id": "\(paymentID)"])
        } else {
            logger.warning("YooKassa answered 404 for a payment we hold", metadata: ["payment_id": "\(paymentID)"])
        }
        return PaymentCheck(paymentID: paymentID, status: marked ? "unknown_at_provider" : "not_found")
    }

    /// Takes back what a re-read `refund` says was refunded (``settleRefund(_:now:)``, once, only
    /// when it `succeeded`), counts and logs it with `logger`. Throws ``PaymentError`` when it
    /// matches no credited payment of ours.
    public func confirmRefund(_ refund: YooKassaRefund, logger: Logger) async throws -> RefundCheck {
        guard refund.status == "succeeded" else {
            logger.info("refund checked", metadata: ["refund_id": "\(refund.id)", "status": "\(refund.status)"])
            return RefundCheck(refundID: refund.id, status: refund.status)
        }
        let settlement = try await settleRefund(refund, now: Date.nowMillis)
        if settlement.appliedNow { PaymentMetrics.recordRefunded() }
        logger.info(
            "refund taken back",
            metadata: [
                "refund_id": "\(refund.id)", "payment_id": "\(refund.paymentID)", "chat_id": "\(settlement.chatID)",
                "taken_back": "\(settlement.takenBack)", "unrecovered": "\(settlement.unrecovered)", "applied_now": "\(settlement.appliedNow)",
            ])
        return RefundCheck(
            refundID: refund.id, status: refund.status, takenBack: settlement.takenBack,
            unrecovered: settlement.unrecovered)
    }
}
