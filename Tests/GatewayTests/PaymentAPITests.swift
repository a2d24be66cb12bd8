import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhMongo

/// Payments end to end: gateway → payment worker → sandbox YooKassa → webhook → credit.
@Suite("Payments end to end", .serialized, .needsServers)
struct PaymentAPITests {
    static let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100.00}"#

    func balance(_ client: some TestClientProtocol, _ chat: Int) async throws -> Int? {
        try await client.call(.get, "/users/\(chat)").body["ozhivashki"] as? Int
    }

    /// Polls (bounded) until the user's balance is `expected`.
    func waitForBalance(_ client: some TestClientProtocol, _ chat: Int, _ expected: Int, seconds: Int = 20) async throws -> Int? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var current = try await balance(client, chat)
        while current != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            current = try await balance(client, chat)
        }
        return current
    }

    func ledgerSum(_ services: GatewayServices, _ chat: Int) async throws -> Int64 {
        try await services.users.ledger.entries(chatID: Int64(chat), limit: 500).map(\.delta).reduce(0, +)
    }

    func createPayment(_ client: some TestClientProtocol, _ chat: Int) async throws -> String {
        let (status, body) = try await client.call(.post, "/users/\(chat)/create_payment?wait=20", json: Self.order)
        #expect(status == 200, "\(body)")
        #expect(Set(body.keys) == ["payment_url", "payment_id"])
        return try #require(body["payment_id"] as? String)
    }

    @Test func payOnTheSandboxThenTheWebhookCreditsOnce() async throws {
        try await GenerationStack.runPayments(sandbox: ["SANDBOX_YOOKASSA_DUPLICATE_DELIVERIES": "5"]) { client, services, stack in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 11}"#).status == 201)
            let (status, body) = try await client.call(.post, "/users/11/create_payment?wait=20", json: Self.order)
            #expect(status == 200, "\(body)")
            let paymentID = try #require(body["payment_id"] as? String)
            let url = try #require(body["payment_url"] as? String)
            #expect(url.contains(paymentID))
            let (_, pending) = try await client.call(.get, "/users/11")
            let entry = (pending["yookassa_payments"] as? [String: Any])?[paymentID] as? [String: Any]
            #expect(entry?["status"] as? String == "pending")
            #expect(entry?["amount"] as? String == "100.00")

            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
            #expect(try await waitForBalance(client, 11, 11) == 11, "1 + 10 from the pack")
            // Five deliveries of the same notification, then reconciliation: still credited once.
            try await Task.sleep(for: .seconds(2))
            #expect(try await balance(client, 11) == 11)
            #expect(try await ledgerSum(services, 11) == 11)
            let (_, user) = try await client.call(.get, "/users/11")
            #expect(((user["yookassa_payments"] as? [String: Any])?[paymentID] as? [String: Any])?["status"] as? String == "succeeded")
            let stats = try await stack.sandboxCall("GET", "/_sandbox/yookassa/stats")
            #expect(stats["payments_created"] as? Int == 1)
        }
    }

    /// A bot that lost the answer retries with the same Idempotency-Key and the same order: it
    /// must get the same job every time, never `idempotency_key_reused`. The fingerprint was
    /// taken over the payload's `JSONEncoder` text, whose key order changes from one encoding to
    /// the next (and between processes), so about every second retry was refused with a 409.
    @Test func retriesWithTheSameIdempotencyKeyAnswerTheSameJob() async throws {
        try await GenerationStack.runPayments { client, _, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 17}"#).status == 201)
            var key = HTTPFields()
            key[HTTPField.Name("Idempotency-Key")!] = "bot-payment-17"
            var jobs: Set<String> = []
            for attempt in 1...8 {
                let (status, body) = try await client.call(.post, "/users/17/create_payment", json: Self.order, headers: key)
                #expect(status == 202, "retry \(attempt): \(body)")
                if let job = body["job_id"] as? String { jobs.insert(job) }
            }
            #expect(jobs.count == 1, "one job for one key and one order: \(jobs)")
            let other = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 2, "price": 200.00}"#
            let (status, body) = try await client.call(.post, "/users/17/create_payment", json: other, headers: key)
            #expect(status == 409 && errorCode(body) == "idempotency_key_reused", "another order under the same key: \(body)")
        }
    }

    @Test func aLostWebhookIsCaughtByReconciliation() async throws {
        try await GenerationStack.runPayments(settings: ["RECONCILE_AFTER_MS": "0"]) { client, services, stack in
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/faults", json: #"{"drop_webhooks": true}"#)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 12}"#).status == 201)
            let paymentID = try await createPayment(client, 12)
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
            #expect(try await waitForBalance(client, 12, 11) == 11)
            try await Task.sleep(for: .seconds(1))
            #expect(try await balance(client, 12) == 11, "reconciliation keeps re-reading but credits once")
            #expect(try await ledgerSum(services, 12) == 11)
        }
    }

    @Test func forgedAndCanceledNotificationsCreditNothing() async throws {
        try await GenerationStack.runPayments { client, services, stack in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 13}"#).status == 201)
            let paymentID = try await createPayment(client, 13)
            // A forged "succeeded" notification for a payment YooKassa still has pending.
            let forged =
                #"{"type":"notification","event":"payment.succeeded","object":{"id":"\#(paymentID)","status":"succeeded","paid":true,"amount":{"value":"100.00","currency":"RUB"}}}"#
            #expect(try await client.call(.post, "/webhooks/yookassa", json: forged, key: nil).status == 200)
            try await Task.sleep(for: .seconds(1))
            #expect(try await balance(client, 13) == 1, "the worker re-read the payment: still pending")
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/cancel")
            let deadline = ContinuousClock.now + .seconds(15)
            var status: String?
            while status != "canceled", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                let (_, user) = try await client.call(.get, "/users/13")
                status = ((user["yookassa_payments"] as? [String: Any])?[paymentID] as? [String: Any])?["status"] as? String
            }
            #expect(status == "canceled")
            #expect(try await balance(client, 13) == 1)
            #expect(try await ledgerSum(services, 13) == 1)
            let record = try await services.mongo.collection("payments").findOne(["_id": .string(paymentID)])
            #expect(record?["cancellation_reason"]?.stringValue != nil, "the reason is recorded")
        }
    }

    @Test func anUnknownResultIsRepeatedWithTheSameKeyAndMakesOnePayment() async throws {
        try await GenerationStack.runPayments(sandbox: ["SANDBOX_YOOKASSA_REDELIVERY_MS": "200"]) { client, services, stack in
            // YooKassa creates the payment but answers 500 (result unknown) twice.
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/faults", json: #"{"fail_after_create": true, "fail_after_create_count": 2}"#)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 14}"#).status == 201)
            let paymentID = try await createPayment(client, 14)
            let stats = try await stack.sandboxCall("GET", "/_sandbox/yookassa/stats")
            #expect(stats["payments_created"] as? Int == 1, "one payment at YooKassa: \(stats)")
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
            #expect(try await waitForBalance(client, 14, 11) == 11)
            #expect(try await services.mongo.collection("payments").countDocuments(["chat_id": .int64(14)]) == 1)
        }
    }

    @Test func aWorkerKilledWhileYooKassaAnswersMakesOnePaymentCreditedOnce() async throws {
        try await GenerationStack.runPayments(sandbox: ["SANDBOX_YOOKASSA_LATENCY_MS": "1500"]) { client, services, stack in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 16}"#).status == 201)
            let (status, accepted) = try await client.call(.post, "/users/16/create_payment", json: Self.order)
            #expect(status == 202)
            let jobID = try #require(accepted["job_id"] as? String)
            // Wait until the worker's create request is at YooKassa, then SIGKILL it mid-call:
            // YooKassa goes on to create the payment, our side never records it.
            let deadline = ContinuousClock.now + .seconds(10)
            var processing = false
            while !processing, ContinuousClock.now < deadline {
                processing = try await client.call(.get, "/jobs/\(jobID)").body["status"] as? String == "processing"
                if !processing { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(processing)
            try await Task.sleep(for: .milliseconds(300))
            kill(stack.workers[0].processIdentifier, SIGKILL)
            try await stack.startPaymentWorker(services.settings)
            // The recovered job repeats the create with the same Idempotence-Key.
            let (_, job) = try await client.call(.get, "/jobs/\(jobID)?wait=60")
            #expect(job["status"] as? String == "succeeded", "\(job)")
            let paymentID = try #require((job["result"] as? [String: Any])?["payment_id"] as? String)
            let stats = try await stack.sandboxCall("GET", "/_sandbox/yookassa/stats")
            #expect(stats["payments_created"] as? Int == 1, "one payment at YooKassa: \(stats)")
            try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/succeed")
            #expect(try await waitForBalance(client, 16, 11) == 11)
            #expect(try await ledgerSum(services, 16) == 11)
        }
    }

    @Test func badOrdersAndWebhooksGetTheir4xx() async throws {
        try await GenerationStack.runPayments(workers: 0) { client, services, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 15}"#).status == 201)
            let cases: [(String, String, Int, String, String)] = [
                ("/users/15/create_payment", #"{"item_name": "Пакет '11 Оживашек'", "quantity": 1, "price": 100.00}"#, 400, "unknown_item", ""),
                ("/users/15/create_payment", #"{"item_name": "Пакет '10 Оживашек'", "quantity": 0, "price": 0}"#, 400, "invalid_quantity", ""),
                ("/users/15/create_payment", #"{"item_name": "Пакет '10 Оживашек'", "quantity": 101, "price": 10100}"#, 400, "invalid_quantity", ""),
                (
                    "/users/15/create_payment", #"{"item_name": "Пакет '10 Оживашек'", "quantity": 2, "price": 100.00}"#, 400, "price_mismatch",
                    "200.00"
                ),
                (
                    "/users/15/create_payment", #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 99.999}"#, 400, "price_mismatch",
                    "100.00"
                ),
                (
                    "/users/15/create_payment", #"{"item_name": "Пакет '10 Оживашек'", "quantity": "1", "price": 100}"#, 400, "invalid_body",
                    "quantity"
                ),
                ("/users/15/create_payment", #"{"quantity": 1, "price": 100}"#, 400, "invalid_body", "item_name"),
                ("/users/999/create_payment", Self.order, 404, "user_not_found", ""),
            ]
            for (path, body, status, code, mention) in cases {
                let (got, answer) = try await client.call(.post, path, json: body)
                #expect(got == status, "\(body): \(answer)")
                #expect(errorCode(answer) == code, "\(body): \(answer)")
                if !mention.isEmpty { #expect(errorMessage(answer).contains(mention), "\(errorMessage(answer))") }
            }
            // The discounted price is the right one while discount_offered is true.
            #expect(try await client.call(.patch, "/users/15", json: #"{"discount_offered": true}"#).status == 200)
            let (full, fullBody) = try await client.call(.post, "/users/15/create_payment", json: Self.order)
            #expect(full == 400 && errorMessage(fullBody).contains("80.00"))
            let (discounted, _) = try await client.call(
                .post, "/users/15/create_payment",
                json: #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 80.00}"#)
            #expect(discounted == 202)
            // Webhooks: a malformed body is 400, and nothing is queued.
            #expect(try await client.call(.post, "/webhooks/yookassa", json: #"{"type": "nonsense"}"#, key: nil).status == 400)
            #expect(try await client.call(.post, "/webhooks/yookassa", json: "not json", key: nil).status == 400)
            #expect(try await services.queue.stats(queue: "payment").ready == 1, "only the discounted order was queued")
        }
    }

    @Test func webhooksFromOutsideYooKassasRangesAreForbidden() async throws {
        // The default ranges are YooKassa's; the test client connects from 127.0.0.1.
        try await GatewayHarness.withGateway { client, services in
            let body = #"{"type":"notification","event":"payment.succeeded","object":{"id":"2d9977c5-000f-5000-8000-1a3b41f8f216"}}"#
            let (status, answer) = try await client.call(.post, "/webhooks/yookassa", json: body, key: nil)
            #expect(status == 403)
            #expect(errorCode(answer) == "forbidden_sender")
            #expect(try await services.queue.stats(queue: "payment").ready == 0)
        }
        // Behind a trusted proxy, X-Forwarded-For decides.
        try await GatewayHarness.withGateway(["TRUSTED_PROXIES": "127.0.0.1/32"]) { (client, services) async throws -> Void in
            // Only payments this service created queue a job.
            try await services.mongo.collection("payments").updateOne(
                ["_id": "2d9977c5-000f-5000-8000-1a3b41f8f216"], ["$set": ["status": "pending"]], upsert: true)
            let body = #"{"type":"notification","event":"payment.succeeded","object":{"id":"2d9977c5-000f-5000-8000-1a3b41f8f216"}}"#
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Forwarded-For")!] = "185.71.76.5"
            #expect(try await client.call(.post, "/webhooks/yookassa", json: body, key: nil, headers: headers).status == 200)
            headers[HTTPField.Name("X-Forwarded-For")!] = "10.1.2.3"
            #expect(try await client.call(.post, "/webhooks/yookassa", json: body, key: nil, headers: headers).status == 403)
            #expect(try await services.queue.stats(queue: "payment").ready == 1)
        }
    }
}
