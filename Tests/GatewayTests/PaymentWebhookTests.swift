import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain

/// The webhook end to end: deduplication that never drops a genuine notification, and the
/// filter that drops what YooKassa would never send us.
@Suite("Payments: webhook deduplication and filtering", .serialized, .needsServers)
struct PaymentWebhookTests {
    typealias Support = PaymentTestSupport

    /// Sends a forged `payment.succeeded` for an unpaid payment, waits `before`, pays on the
    /// sandbox and returns how long the credit took after paying.
    func forgeThenPay(_ client: some TestClientProtocol, _ stack: GenerationStack, chat: Int, before: Duration) async throws -> Duration? {
        let paymentID = try await Support.createPayment(client, chat)
        let forged = Support.notification("payment.succeeded", id: paymentID)
        #expect(try await client.call(.post, "/webhooks/yookassa", json: forged, key: nil).status == 200)
        try await Task.sleep(for: before)
        #expect(try await Support.balance(client, chat) == 1, "the forged notification credited nothing")
        let paid = ContinuousClock.now
        try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
        guard try await Support.waitForBalance(client, chat, 11, within: .seconds(10)) == 11 else { return nil }
        return ContinuousClock.now - paid
    }

    @Test func aForgedNotificationThenPayingCreditsWithinTenSeconds() async throws {
        // The forged notification's re-read keeps re-reading for 2 s; reconciliation is 10 min away.
        try await GenerationStack.runPayments(settings: ["WEBHOOK_RECHECK_MS": "2000"]) { client, services, stack in
            // Paid while the forged notification's job still waits to re-read: it reads "succeeded".
            let whileWaiting = try await forgeThenPay(client, stack, chat: 21, before: .milliseconds(700))
            #expect(whileWaiting != nil, "credited within 10 s although a forged twin came first")
            // Paid after that job gave up (it read "pending" for 2 s): the genuine one gets its own job.
            let afterItGaveUp = try await forgeThenPay(client, stack, chat: 22, before: .seconds(3))
            #expect(afterItGaveUp != nil, "credited within 10 s after the forged twin's job finished")
            for chat in [21, 22] { #expect(try await Support.ledgerSum(services, chat) == 11) }
            try await PaymentTestSupport.expectAuditClean(services)
        }
    }

    @Test func aBurstOfFiveNotificationsAndReconciliationCreditOnce() async throws {
        try await GenerationStack.runPayments(
            sandbox: ["SANDBOX_YOOKASSA_DUPLICATE_DELIVERIES": "5"],
            settings: ["RECONCILE_AFTER_MS": "0", "RECONCILE_BACKOFF_MS": "200"]
        ) { client, services, stack in
            let paymentID = try await Support.createPayment(client, 23)
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
            // Five more copies at once, on top of the sandbox's five deliveries and reconciliation.
            let genuine = Support.notification("payment.succeeded", id: paymentID)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 { group.addTask { try await client.call(.post, "/webhooks/yookassa", json: genuine, key: nil).status } }
                for try await status in group { #expect(status == 200) }
            }
            #expect(try await Support.waitForBalance(client, 23, 11) == 11)
            try await Task.sleep(for: .seconds(1))
            #expect(try await Support.balance(client, 23) == 11)
            let purchases = try await Support.ledgerEntries(services, 23).filter { $0.reason == "purchase" }
            #expect(purchases.count == 1, "one purchase entry: \(purchases.map(\.delta))")
            #expect(try await Support.ledgerSum(services, 23) == 11)
            try await PaymentTestSupport.expectAuditClean(services)
        }
    }

    @Test func thousandsOfNotificationsForUnknownPaymentsQueueNothing() async throws {
        try await GenerationStack.runPayments { client, services, stack in
            let before = try await client.scrapeMetrics()
            _ = try await client.call(.post, "/users", json: #"{"chat_id": 24}"#)
            let flood = Task {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    var statuses: [Int] = []
                    for index in 0..<1_000 {
                        if index >= 32, let status = try await group.next() { statuses.append(status) }
                        let id = String(format: "2d9977c5-000f-5000-8000-%012x", index)
                        // Every tenth is an event YooKassa never sends us.
                        let event = index % 10 == 0 ? "payout.succeeded" : "payment.succeeded"
                        group.addTask {
                            try await client.call(.post, "/webhooks/yookassa", json: Support.notification(event, id: id), key: nil).status
                        }
                    }
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
            }
            // A purchase made meanwhile is created in its usual time.
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            let (status, body) = try await client.call(.post, "/users/24/create_payment?wait=20", json: Support.order)
            let took = ContinuousClock.now - started
            #expect(status == 200, "\(body)")
            #expect(took < .seconds(3), "the purchase waited \(took) behind the flood")
            let statuses = try await flood.value
            #expect(statuses.count == 1_000 && statuses.allSatisfy { $0 == 200 }, "every notification is answered 200")
            #expect(try await Support.jobCount(services, idPrefix: "webhook-") == 0, "no job was queued")
            let after = try await client.scrapeMetrics()
            #expect(after.increase("ozh_webhook_notifications_total", ["outcome": "unknown_payment"], since: before) == 900)
            #expect(after.increase("ozh_webhook_notifications_total", ["outcome": "unknown_event"], since: before) == 100)
            #expect(after.increase("ozh_webhook_notifications_total", ["outcome": "queued"], since: before) == 0)
            try await PaymentTestSupport.expectAuditClean(services)
        }
    }
}
