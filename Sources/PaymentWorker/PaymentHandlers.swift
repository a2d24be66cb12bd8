import Foundation
import Logging
import OzhDomain
import OzhQueue
import OzhSupport

/// The payment worker's job kinds.
///
/// `create_payment` asks YooKassa for the payment with `Idempotence-Key` = the job id, so a
/// retry after an unknown result (time-out, 500, a crash between YooKassa's answer and our
/// write) gets the same payment back. `confirm_payment` re-reads the payment from YooKassa
/// before acting, so a forged or stale notification cannot credit anything; `confirm_refund`
/// re-reads a refund the same way before taking its ozhivashki back.
struct PaymentHandlers: Sendable {
    let yookassa: YooKassaClient
    let service: PaymentService
    let returnURL: String
    let receiptEmail: String?
    let vatCode: Int
    let schedule: ReconcileSchedule
    /// 404s from YooKassa before a payment is marked `unknown_at_provider`.
    let notFoundLimit: Int
    /// How long a notification's re-read that finds `pending` keeps re-reading.
    let recheck: Duration

    func create(_ context: JobContext, _ order: PaymentService.Order) async throws -> CreatedPayment {
        let metadata: JSONStringMap = [
            "chat_id": String(order.chatID), "job_id": context.job.id, "item": order.item, "quantity": String(order.quantity),
        ]
        let receipt = receiptEmail.map { email in
            YooKassaAPI.Receipt(
                email: email,
                items: [
                    YooKassaAPI.ReceiptItem(
                        description: String(order.item.prefix(128)), quantity: "\(order.quantity).00",
                        amount: .init(kopecks: order.amountKopecks / Int64(order.quantity)), vatCode: vatCode,
                        paymentSubject: "service", paymentMode: "full_payment")
                ])
        }
        let payment: YooKassaPayment
        do {
            payment = try await yookassa.createPayment(
                amount: .init(kopecks: order.amountKopecks), description: String("\(order.item) × \(order.quantity)".prefix(128)),
                returnURL: returnURL, metadata: metadata, receipt: receipt, idempotenceKey: context.job.id)
        } catch let error as YooKassaError {
            Self.logIfForeign(error, context)
            throw JobFailure(code: error.code, message: error.message, retryable: error.retryable)
        }
        return try await service.recordCreation(payment, order: order, jobID: context.job.id, schedule: schedule, logger: context.logger)
    }

    func confirm(_ context: JobContext, _ payload: PaymentConfirmation) async throws -> PaymentCheck {
        let paymentID = payload.paymentID
        let payment: YooKassaPayment
        do {
            payment = try await yookassa.payment(paymentID)
        } catch YooKassaError.api(status: 404, _, _) {
            return try await service.confirmNotFound(paymentID, limit: notFoundLimit, logger: context.logger)
        } catch let error as YooKassaError {
            Self.logIfForeign(error, context)
            throw JobFailure(code: error.code, message: error.message, retryable: error.retryable)
        }
        let check: PaymentCheck
        do {
            check = try await service.confirm(payment, logger: context.logger)
        } catch let error as PaymentError {
            throw JobFailure(code: error.code, message: error.message, retryable: false)
        }
        if payload.source == "webhook", payment.status == "pending" { try recheckSoon(context, what: "payment \(payment.id)") }
        return check
    }

    func confirmRefund(_ context: JobContext, _ payload: RefundConfirmation) async throws -> RefundCheck {
        let refundID = payload.refundID
        let refund: YooKassaRefund
        do {
            refund = try await yookassa.refund(refundID)
        } catch let error as YooKassaError {
            Self.logIfForeign(error, context)
            throw JobFailure(code: error.code, message: error.message, retryable: error.retryable)
        }
        let check: RefundCheck
        do {
            check = try await service.confirmRefund(refund, logger: context.logger)
        } catch let error as PaymentError {
            throw JobFailure(code: error.code, message: error.message, retryable: false)
        }
        if refund.status == "pending" { try recheckSoon(context, what: "refund \(refund.id)") }
        return check
    }

    /// A notification announced a change the re-read does not show yet: read again shortly
    /// (0.5 s growing to 5 s) while the job is younger than `recheck`. The job stays `retrying`,
    /// so a twin notification meanwhile joins it instead of queueing another.
    private func recheckSoon(_ context: JobContext, what: String) throws {
        let age = Date().timeIntervalSince(context.job.createdAt)
        guard age < recheck.timeInterval else { return }
        throw JobPostpone(for: .milliseconds(Int(min(5_000, max(500, age * 200)))), reason: "\(what) is still pending; reading again")
    }

    /// An answer about another payment (or a malformed new id) is an error worth a human's look.
    private static func logIfForeign(_ error: YooKassaError, _ context: JobContext) {
        switch error {
        case .idMismatch, .malformedID:
            context.logger.error(
                "YooKassa's answer is not about the payment asked for; nothing settled",
                metadata: ["error": "\(error.code)", "detail": "\(error.message)"])
        case .unknownResult, .api:
            break
        }
    }
}
