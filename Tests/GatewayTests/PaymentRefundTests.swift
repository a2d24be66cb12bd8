import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhMongo
@testable import OzhSupport

/// Refunds end to end: a refund made at YooKassa (`refund.succeeded`) takes the pack's
/// ozhivashki back once, never below 0.
@Suite("Payments: refunds", .serialized, .needsServers)
struct PaymentRefundTests {
    typealias Support = PaymentTestSupport

    func yookassa(_ stack: GenerationStack) -> YooKassaClient {
        YooKassaClient(
            baseURL: stack.geminiBaseURL, shopID: "500123", secretKey: "test_sandbox-secret",
            http: HTTPClient(configuration: .init(totalTimeout: .seconds(10))))
    }

    /// Buys one 10-pack for `chat` and waits for the credit; returns the payment id.
    func buy(_ client: some TestClientProtocol, _ stack: GenerationStack, _ chat: Int) async throws -> String {
        let paymentID = try await Support.createPayment(client, chat)
        try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
        #expect(try await Support.waitForBalance(client, chat, 11) == 11)
        return paymentID
    }

    /// Waits (bounded) until the payment records the refund; returns that record.
    func refundRecord(_ services: GatewayServices, _ paymentID: String, _ refundID: String) async throws -> BSONDocument? {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let refund = try await Support.paymentRecord(services, paymentID)?["refunds"]?.documentValue?[refundID]?.documentValue {
                return refund
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test func aFullAndAPartialRefundAreDebitedOnceNeverBelowZero() async throws {
        try await GenerationStack.runPayments(sandbox: ["SANDBOX_YOOKASSA_DUPLICATE_DELIVERIES": "3"]) { client, services, stack in
            let api = yookassa(stack)
            // Full refund after 8 of the 11 were spent: 3 are taken back, 7 recorded as spent.
            let full = try await buy(client, stack, 41)
            _ = try await services.users.ledger.apply(operationID: "test_spend:41", chatID: 41, now: Date.nowMillis) { _ in
                BalanceChange(delta: -8, reason: "generation")
            }
            let fullRefund = try await api.createRefund(paymentID: full, amount: "100.00", idempotenceKey: "refund-full-41")
            let fullRecord = try await refundRecord(services, full, fullRefund.id)
            #expect(fullRecord?["ozhivashki_due"]?.int64Value == 10)
            #expect(fullRecord?["taken_back"]?.int64Value == 3)
            #expect(fullRecord?["unrecovered"]?.int64Value == 7)
            #expect(try await Support.balance(client, 41) == 0)

            // Partial refund of half the price: half the pack (5) is taken back.
            let partial = try await buy(client, stack, 42)
            let partialRefund = try await api.createRefund(paymentID: partial, amount: "50.00", idempotenceKey: "refund-half-42")
            let partialRecord = try await refundRecord(services, partial, partialRefund.id)
            #expect(partialRecord?["ozhivashki_due"]?.int64Value == 5 && partialRecord?["taken_back"]?.int64Value == 5)
            #expect(partialRecord?["unrecovered"]?.int64Value == 0)
            #expect(try await Support.balance(client, 42) == 6)

            // The sandbox delivered each notification 3 times; deliver each again, and wait.
            for (paymentID, refundID) in [(full, fullRefund.id), (partial, partialRefund.id)] {
                let again = Support.notification("refund.succeeded", id: refundID, paymentID: paymentID)
                #expect(try await client.call(.post, "/webhooks/yookassa", json: again, key: nil).status == 200)
            }
            try await Task.sleep(for: .seconds(1))
            for (chat, balance, refundID) in [(41, 0, fullRefund.id), (42, 6, partialRefund.id)] {
                #expect(try await Support.balance(client, chat) == balance)
                let entries = try await Support.ledgerEntries(services, chat)
                #expect(entries.filter { $0.id == RefundSettlement.operationID(refundID) }.count == 1, "debited once")
                #expect(entries.allSatisfy { $0.balanceAfter >= 0 }, "never negative")
                #expect(try await Support.ledgerSum(services, chat) == Int64(balance), "the ledger sums to the balance")
            }
            // A forged refund notification for a refund YooKassa does not have takes nothing.
            let forged = Support.notification("refund.succeeded", id: "216749f7-0016-50be-b000-000000000000", paymentID: partial)
            #expect(try await client.call(.post, "/webhooks/yookassa", json: forged, key: nil).status == 200)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Support.balance(client, 42) == 6)
            try await PaymentTestSupport.expectAuditClean(services)
        }
    }
}
