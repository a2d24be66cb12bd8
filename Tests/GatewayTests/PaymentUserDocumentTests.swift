import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhMongo

/// Issue 13: a user's `yookassa_payments` stays bounded (the latest `USER_PAYMENTS_KEPT`; the
/// full history in `payments`), and a YooKassa answer about another payment is refused.
@Suite("Payments: bounded user document, foreign answers", .serialized)
struct PaymentUserDocumentTests {
    static func payment(_ id: String, status: String = "pending") throws -> YooKassaPayment {
        try #require(
            YooKassaPayment(json: [
                "id": id, "status": status, "paid": false,
                "amount": ["value": "100.00", "currency": "RUB"] as [String: Any],
            ]))
    }

    @Test(.needsServers) func theUserDocumentKeepsTheLatestPaymentsOnly() async throws {
        try await GatewayHarness.withGateway { _, services in
            let chatID: Int64 = 616_161
            _ = try await services.mongo.collection("users").insertOne(["_id": .int64(chatID), "yookassa_payments": .document([:])])
            let service = PaymentService(mongo: services.mongo, ledger: services.users.ledger, userPaymentsKept: 3)
            let order = PaymentService.Order(chatID: chatID, item: "pack", quantity: 1, ozhivashki: 5, amountKopecks: 10_000)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for n in 0..<5 {
                let now = start.addingTimeInterval(Double(n) * 60)
                try await service.recordCreated(try Self.payment("pay-\(n)"), order: order, jobID: "job-\(n)", now: now, firstCheckAt: now)
            }
            func kept() async throws -> [String] {
                let user = try await services.mongo.collection("users").findOne(["_id": .int64(chatID)])
                return (user?["yookassa_payments"]?.documentValue?.keys ?? []).sorted()
            }
            #expect(try await kept() == ["pay-2", "pay-3", "pay-4"])
            #expect(try await services.mongo.collection("payments").countDocuments() == 5, "the full history stays in payments")
            // A dropped payment's later news is recorded in `payments` only; the user's copy is not re-created.
            try await service.settle(try Self.payment("pay-0", status: "canceled"), now: start.addingTimeInterval(600))
            #expect(try await kept() == ["pay-2", "pay-3", "pay-4"])
            let record = try await services.mongo.collection("payments").findOne(["_id": "pay-0"])
            #expect(record?["status"]?.stringValue == "canceled")
        }
    }

    /// `GET /v3/payments/{id}` answered about another payment: `yookassa_id_mismatch`, never retried.
    @Test func anAnswerAboutAnotherPaymentIsAnError() async throws {
        let router = Router()
        router.get("/v3/payments/{id}") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"id": "someone-elses-payment", "status": "succeeded", "paid": true, "amount": {"value": "100.00", "currency": "RUB"}}"#
                    )))
        }
        router.get("/v3/refunds/{id}") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            #"{"id": "another-refund", "payment_id": "p", "status": "succeeded", "amount": {"value": "1.00", "currency": "RUB"}}"#)))
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let yookassa = YooKassaClient(
                baseURL: "http://127.0.0.1:\(try #require(client.port))", shopID: "500123",
                secretKey: "test_shop-secret", http: HTTPClient(configuration: .init(totalTimeout: .seconds(10))))
            await #expect(throws: YooKassaError.idMismatch(requested: "2d7f6a1e-000f-5000-9000-1b2c3d4e5f60", answered: "someone-elses-payment")) {
                _ = try await yookassa.payment("2d7f6a1e-000f-5000-9000-1b2c3d4e5f60")
            }
            await #expect(throws: YooKassaError.idMismatch(requested: "refund-1", answered: "another-refund")) {
                _ = try await yookassa.refund("refund-1")
            }
            #expect(YooKassaError.idMismatch(requested: "a", answered: "b").code == "yookassa_id_mismatch")
            #expect(!YooKassaError.idMismatch(requested: "a", answered: "b").retryable)
        }
    }
}
