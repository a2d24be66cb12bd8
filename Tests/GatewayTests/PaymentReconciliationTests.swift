import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhMongo
@testable import OzhSupport

/// Reconciliation end to end: it pages through every pending payment, keeps at most one
/// scheduled re-read per payment, and gives up on payments YooKassa does not know.
@Suite("Payments: reconciliation", .serialized, .needsServers)
struct PaymentReconciliationTests {
    typealias Support = PaymentTestSupport

    /// Samples the payment queue's reconcile jobs until stopped; returns the largest number of
    /// unfinished ones any single payment had in one (atomic) snapshot.
    final class Sampler: @unchecked Sendable {
        private let lock = NSLock()
        private var worst = 0
        private var snapshots = 0
        var result: (worst: Int, snapshots: Int) { lock.withLock { (worst, snapshots) } }

        func sample(_ services: GatewayServices) async throws {
            let live = try await Support.unfinishedJobs(services, idPrefix: "reconcile-")
            let perPayment = Dictionary(grouping: live, by: { $0.paymentID ?? $0.id }).values.map(\.count).max() ?? 0
            lock.withLock {
                worst = max(worst, perPayment)
                snapshots += 1
            }
        }
    }

    @Test func twoHundredFiftyPendingPaymentsTwentyPaidWithoutWebhooksAllCredited() async throws {
        try await GenerationStack.runPayments(settings: [
            // A widening schedule, scaled down: 1 s after creation, then 2 s, 5 s, 15 s, 15 s, ...
            "RECONCILE_AFTER_MS": "1000", "RECONCILE_BACKOFF_MS": "2000,5000,15000", "RECONCILE_PAGE_SIZE": "40",
        ]) { client, services, stack in
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/faults", json: #"{"drop_webhooks": true}"#)
            // 250 payments of 250 users, 10 at a time, made and recorded as the payment worker does.
            let payments = PaymentService(mongo: services.mongo, ledger: services.users.ledger)
            let yookassa = YooKassaClient(
                baseURL: stack.geminiBaseURL, shopID: "500123", secretKey: "test_sandbox-secret",
                http: HTTPClient(configuration: .init(totalTimeout: .seconds(10))))
            let body = YooKassaAPI.PaymentCreateRequest(
                amount: .init(value: "100.00"), capture: true,
                confirmation: .init(returnURL: "https://t.me/OzhTestBot"),
                description: "Пакет '10 Оживашек' × 1")
            try await withThrowingTaskGroup(of: Int.self) { group in
                for chat in 1_000..<1_250 {
                    if chat >= 1_010 { _ = try await group.next() }
                    group.addTask { try await client.call(.post, "/users", json: #"{"chat_id": \#(chat)}"#).status }
                }
                for try await status in group { #expect(status == 201) }
            }
            var ids: [Int: String] = [:]
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for chat in 1_000..<1_250 {
                    if chat >= 1_010, let (done, id) = try await group.next() { ids[done] = id }
                    group.addTask {
                        let payment = try await yookassa.create(body, idempotenceKey: "seed-\(chat)")
                        let order = PaymentService.Order(
                            chatID: Int64(chat), item: "Пакет '10 Оживашек'", quantity: 1,
                            ozhivashki: 10, amountKopecks: 10_000)
                        let now = Date.nowMillis
                        try await payments.recordCreated(
                            payment, order: order, jobID: "seed-\(chat)", now: now,
                            firstCheckAt: now.addingTimeInterval(1))
                        return (chat, payment.id)
                    }
                }
                for try await (done, id) in group { ids[done] = id }
            }
            #expect(ids.count == 250)
            let sampler = Sampler()
            let sampling = Task {
                while !Task.isCancelled {
                    try await sampler.sample(services)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            defer { sampling.cancel() }
            var generator = SplitMix64(seed: 11)
            let paid = Array(ids.keys.sorted().shuffled(using: &generator).prefix(20))
            for chat in paid { try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(ids[chat]!)/succeed") }
            // Bounded: a few rounds of the 15 s pause, with room for a busy machine.
            let deadline = ContinuousClock.now + .seconds(90)
            var credited: [Int] = []
            while credited.count < paid.count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
                credited = try await paid.asyncFilter { try await Support.balance(client, $0) == 11 }
            }
            #expect(credited.count == 20, "credited by reconciliation: \(credited.count) of 20")
            // Let reconciliation go on a little over the 230 still pending.
            try await Task.sleep(for: .seconds(2))
            sampling.cancel()
            let (worst, snapshots) = sampler.result
            #expect(snapshots > 10)
            #expect(worst <= 1, "a payment had \(worst) unfinished re-reads at once")
            for chat in paid {
                #expect(try await Support.balance(client, chat) == 11)
                #expect(try await Support.ledgerSum(services, chat) == 11)
            }
            let stillPending = try await services.mongo.collection("payments").countDocuments(["status": "pending"])
            #expect(stillPending == 230)
            // Every pending payment was re-read, the newest included (paging reaches them all).
            let unread = try await services.mongo.collection("payments").countDocuments(["status": "pending", "checks": ["$lt": 1]])
            #expect(unread == 0)
            try await PaymentTestSupport.expectAuditClean(services)
        }
    }

    @Test func aPaymentYooKassaDoesNotKnowIsMarkedThenLeftAlone() async throws {
        try await GenerationStack.runPayments(
            workers: 0,
            settings: [
                "RECONCILE_AFTER_MS": "0", "RECONCILE_BACKOFF_MS": "200", "RECONCILE_NOT_FOUND_LIMIT": "3",
            ]
        ) { client, services, stack in
            let metricsPort = try freeLoopbackPort()
            try await stack.startPaymentWorker(services.settings, ["METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(metricsPort)"])
            let paymentID = try await Support.createPayment(client, 31)
            // The sandbox forgets its payments (as a restart without a state file did); MongoDB keeps it.
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/reset")
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/config", json: #"{"webhook_url": null}"#)
            let deadline = ContinuousClock.now + .seconds(20)
            var record = try await Support.paymentRecord(services, paymentID)
            while record?["status"]?.stringValue != "unknown_at_provider", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                record = try await Support.paymentRecord(services, paymentID)
            }
            #expect(record?["status"]?.stringValue == "unknown_at_provider")
            #expect(record?["not_found"]?.int64Value == 3)
            let checks = record?["checks"]?.int64Value
            // Left alone: no further re-read is scheduled or made.
            try await Task.sleep(for: .seconds(2))
            let later = try await Support.paymentRecord(services, paymentID)
            #expect(later?["checks"]?.int64Value == checks && later?["not_found"]?.int64Value == 3)
            #expect(try await Support.unfinishedJobs(services, idPrefix: "reconcile-").isEmpty)
            let user = try await client.call(.get, "/users/31").body
            #expect(((user["yookassa_payments"] as? [String: Any])?[paymentID] as? [String: Any])?["status"] as? String == "unknown_at_provider")
            #expect(try await Support.balance(client, 31) == 1)
            let metrics = try await scrapeWorker(metricsPort)
            #expect(metrics.value("ozh_payments_total", ["status": "unknown_at_provider"]) == 1)
            #expect(metrics.value("ozh_payments_unknown_at_provider") == 1)
            try await PaymentTestSupport.expectAuditClean(services, unknownAtProvider: 1)
        }
    }
}

extension Array {
    /// The elements for which the async `isIncluded` holds, in order.
    func asyncFilter(_ isIncluded: (Element) async throws -> Bool) async rethrows -> [Element] {
        var kept: [Element] = []
        for element in self where try await isIncluded(element) { kept.append(element) }
        return kept
    }
}
