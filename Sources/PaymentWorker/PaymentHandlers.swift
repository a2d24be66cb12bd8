import Foundation
import Logging
import Shared

/// The payment worker's two job kinds.
///
/// `create_payment` asks YooKassa for the payment with `Idempotence-Key` = the job id, so a
/// retry after an unknown result (time-out, 500, a crash between YooKassa's answer and our
/// write) gets the same payment back. `confirm_payment` re-reads the payment from YooKassa
/// before acting, so a forged or stale notification cannot credit anything.
struct PaymentHandlers: Sendable {
    let yookassa: YooKassaClient
    let service: PaymentService
    let returnURL: String
    let receiptEmail: String?
    let vatCode: Int

    func create(_ context: JobContext) async throws -> String {
        let order = try JSONDecoder().decode(PaymentService.Order.self, from: Data(context.job.payload.utf8))
        let amount = JSONValue.object([("value", .string(PackCatalog.format(kopecks: order.amountKopecks))), ("currency", .string("RUB"))])
        var body: [(String, JSONValue)] = [
            ("amount", amount),
            ("capture", .bool(true)),
            ("confirmation", .object([("type", .string("redirect")), ("return_url", .string(returnURL))])),
            ("description", .string(String("\(order.item) × \(order.quantity)".prefix(128)))),
            ("metadata", .object([
                ("chat_id", .string(String(order.chatID))), ("job_id", .string(context.job.id)),
                ("item", .string(order.item)), ("quantity", .string(String(order.quantity))),
            ])),
        ]
        if let receiptEmail {
            body.append(("receipt", .object([
                ("customer", .object([("email", .string(receiptEmail))])),
                ("items", .array([.object([
                    ("description", .string(String(order.item.prefix(128)))), ("quantity", .string("\(order.quantity).00")),
                    ("amount", .object([("value", .string(PackCatalog.format(kopecks: order.amountKopecks / Int64(order.quantity)))),
                                        ("currency", .string("RUB"))])),
                    ("vat_code", .int(Int64(vatCode))), ("payment_subject", .string("service")),
                    ("payment_mode", .string("full_payment")),
                ])])),
            ])))
        }
        let payment: YooKassaPayment
        do {
            payment = try await yookassa.create(.object(body), idempotenceKey: context.job.id)
        } catch let error as YooKassaError {
            throw JobFailure(code: error.code, message: error.message, retryable: error.retryable)
        }
        try await service.recordCreated(payment, order: order, jobID: context.job.id, now: Date.nowMillis)
        PaymentMetrics.recordCreated()
        context.logger.info("payment created", metadata: ["payment_id": "\(payment.id)", "amount": "\(payment.amountValue)"])
        return JSONValue.object([
            ("payment_url", .string(payment.confirmationURL ?? "")), ("payment_id", .string(payment.id)),
        ]).serialized
    }

    func confirm(_ context: JobContext) async throws -> String {
        struct Payload: Decodable { var payment_id: String }
        let paymentID = try JSONDecoder().decode(Payload.self, from: Data(context.job.payload.utf8)).payment_id
        let payment: YooKassaPayment
        do {
            payment = try await yookassa.payment(paymentID)
        } catch let error as YooKassaError {
            throw JobFailure(code: error.code, message: error.message, retryable: error.retryable)
        }
        let credited: Bool
        do {
            credited = try await service.settle(payment, now: Date.nowMillis)
        } catch let error as PaymentError {
            throw JobFailure(code: error.code, message: error.message, retryable: false)
        }
        PaymentMetrics.recordConfirmed(status: payment.status, credited: credited)
        context.logger.info("payment checked", metadata: [
            "payment_id": "\(payment.id)", "status": "\(payment.status)", "credited_now": "\(credited)",
        ])
        return JSONValue.object([
            ("payment_id", .string(payment.id)), ("status", .string(payment.status)), ("credited_now", .bool(credited)),
        ]).serialized
    }
}
