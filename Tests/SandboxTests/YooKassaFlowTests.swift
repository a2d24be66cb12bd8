import Foundation
import Testing

@testable import Sandbox

@Suite("YooKassa emulator: paying, capture, cancel, checkout page, faults")
struct YooKassaFlowTests {
    @Test func succeedThroughControlEndpoint() async throws {
        try await YooKassaHarness.withSandbox { client in
            let id = try #require(try await client.createPayment(YooKassaHarness.body(value: "149.00")).id)
            let paid = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
            #expect(paid.status == 200 && paid.paymentStatus == "succeeded")
            let read = try await client.yookassa(.get, "/v3/payments/\(id)")
            #expect(read.paymentStatus == "succeeded")
            #expect(read.json["paid"] as? Bool == true)
            #expect(read.json["captured_at"] is String)
            #expect(read.json["confirmation"] == nil)
            #expect(read.object("income_amount")?["value"] as? String == "143.78")
            let method = try #require(read.object("payment_method"))
            #expect(method["type"] as? String == "bank_card" && method["saved"] as? Bool == false)
            #expect(method["title"] as? String == "Bank card *4444")
            // Paying twice is refused.
            #expect(try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed").status == 400)
            let stats = try await client.yookassaStats()
            #expect((stats["payments"] as? [String: Any])?["succeeded"] as? Int == 1)
        }
    }

    @Test func cancelThroughControlEndpoint() async throws {
        try await YooKassaHarness.withSandbox { client in
            let id = try #require(try await client.createPayment().id)
            let canceled = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/cancel")
            #expect(canceled.paymentStatus == "canceled")
            #expect(canceled.json["paid"] as? Bool == false)
            let details = try #require(canceled.object("cancellation_details"))
            #expect(details["party"] as? String == "yoo_money")
            #expect(details["reason"] as? String == "expired_on_confirmation")
            let custom = try #require(try await client.createPayment().id)
            let revoked = try await client.control(
                .post, "/_sandbox/yookassa/payments/\(custom)/cancel",
                json: #"{"party":"yoo_money","reason":"permission_revoked"}"#)
            #expect(revoked.object("cancellation_details")?["reason"] as? String == "permission_revoked")
            #expect(try await client.control(.post, "/_sandbox/yookassa/payments/nope/cancel").status == 404)
        }
    }

    @Test func captureFlow() async throws {
        try await YooKassaHarness.withSandbox { client in
            let id = try #require(try await client.createPayment(YooKassaHarness.body(capture: false)).id)
            let early = try await client.yookassa(.post, "/v3/payments/\(id)/capture", body: "{}", key: "cap-0")
            #expect(early.status == 400 && early.code == "invalid_request")

            let waiting = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
            #expect(waiting.paymentStatus == "waiting_for_capture")
            #expect(waiting.json["paid"] as? Bool == true)
            #expect(waiting.json["captured_at"] == nil)

            #expect(try await client.yookassa(.post, "/v3/payments/\(id)/capture", body: "{}").status == 400) // no key
            let captured = try await client.yookassa(.post, "/v3/payments/\(id)/capture", body: "{}", key: "cap-1")
            #expect(captured.status == 200 && captured.paymentStatus == "succeeded")
            #expect(captured.json["captured_at"] is String)
            let replay = try await client.yookassa(.post, "/v3/payments/\(id)/capture", body: "{}", key: "cap-1")
            #expect(replay.status == 200 && replay.paymentStatus == "succeeded")
            #expect(try await client.yookassa(.post, "/v3/payments/unknown-id/capture", body: "{}", key: "cap-2").status == 404)

            let second = try #require(try await client.createPayment(YooKassaHarness.body(capture: false)).id)
            _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(second)/succeed")
            let canceled = try await client.yookassa(.post, "/v3/payments/\(second)/cancel", body: "{}", key: "cancel-1")
            #expect(canceled.paymentStatus == "canceled")
            #expect(canceled.object("cancellation_details")?["party"] as? String == "merchant")
            #expect(canceled.object("cancellation_details")?["reason"] as? String == "canceled_by_merchant")
        }
    }

    @Test func checkoutPage() async throws {
        try await YooKassaHarness.withSandbox { client in
            let created = try await client.createPayment(YooKassaHarness.body(value: "249.50", description: "Pack <10>"))
            let id = try #require(created.id)
            let url = try #require(created.object("confirmation")?["confirmation_url"] as? String)
            let range = try #require(url.range(of: "/_sandbox"))
            let path = String(url[range.lowerBound...])
            let (status, html) = try await client.text(.get, path)
            #expect(status == 200)
            #expect(html.contains("249.50"))
            #expect(html.contains("Pack &lt;10&gt;"))
            #expect(html.contains("action=\"/_sandbox/yookassa/checkout/\(id)/pay\""))
            #expect(html.contains("action=\"/_sandbox/yookassa/checkout/\(id)/cancel\""))
            let (paidStatus, paid) = try await client.text(.post, "\(path)/pay")
            #expect(paidStatus == 200 && paid.contains("Paid ✓") && paid.contains("https://t.me/ozh_bot"))
            #expect(try await client.yookassa(.get, "/v3/payments/\(id)").paymentStatus == "succeeded")
            #expect(try await client.text(.get, "/_sandbox/yookassa/checkout/unknown").0 == 404)
        }
    }

    @Test func failAfterCreateThenRetry() async throws {
        try await YooKassaHarness.withSandbox { client in
            let set = try await client.control(.post, "/_sandbox/yookassa/faults", json: #"{"fail_after_create_count": 1}"#)
            #expect(set.json["fail_after_create_count"] as? Int == 1)
            let failed = try await client.createPayment(key: "retry-me")
            #expect(failed.status == 500)
            #expect(failed.code == "internal_server_error")
            let retried = try await client.createPayment(key: "retry-me")
            #expect(retried.status == 200)
            let id = try #require(retried.id)
            let stats = try await client.yookassaStats()
            #expect(stats["payments_created"] as? Int == 1)
            #expect(stats["create_requests"] as? Int == 2)
            #expect((stats["by_idempotence_key"] as? [String: Any])?["retry-me"] as? Int == 1)
            #expect(try await client.yookassa(.get, "/v3/payments/\(id)").status == 200)
            #expect(try await client.control(.get, "/_sandbox/yookassa/faults").json["fail_after_create_count"] as? Int == 0)
        }
    }

    @Test func faultsEndpointAndRateLimit() async throws {
        try await YooKassaHarness.withSandbox(["SANDBOX_YOOKASSA_LATENCY_MS": "5"]) { client in
            let limited = try await client.control(.post, "/_sandbox/yookassa/faults", json: #"{"rate_limit_rate": 1.0}"#)
            #expect(limited.json["rate_limit_rate"] as? Double == 1 && limited.json["latency_ms"] as? Int == 5)
            let reply = try await client.createPayment()
            #expect(reply.status == 429 && reply.code == "too_many_requests")
            #expect(try await client.control(.post, "/_sandbox/yookassa/faults", json: #"{"drop_webhooks": 3}"#).status == 400)
            #expect(try await client.control(.post, "/_sandbox/yookassa/faults", json: #"{"nonsense": 1}"#).status == 400)
            let reset = try await client.control(.delete, "/_sandbox/yookassa/faults")
            #expect(reset.json["rate_limit_rate"] as? Double == 0 && reset.json["latency_ms"] as? Int == 5)
            #expect(try await client.createPayment().status == 200)
            // The sandbox-wide reset clears YooKassa too.
            #expect(try await client.control(.post, "/_sandbox/reset").status == 200)
            #expect(try await client.yookassaStats()["payments_created"] as? Int == 0)
        }
    }
}
