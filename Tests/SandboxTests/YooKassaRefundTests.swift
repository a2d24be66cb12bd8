import Foundation
import Testing

@testable import Sandbox

@Suite("YooKassa emulator: refunds")
struct YooKassaRefundTests {
    static func refundBody(_ payment: String, _ value: String) -> String {
        #"{"payment_id":"\#(payment)","amount":{"value":"\#(value)","currency":"RUB"},"description":"test refund"}"#
    }

    @Test func partialThenFullRefundNotifiesAndIsReadable() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await YooKassaHarness.withSandbox(YooKassaWebhookTests.fast.merging(["SANDBOX_YOOKASSA_WEBHOOK_URL": url]) { $1 }) { client in
                let id = try #require(try await client.createPayment().id)
                // Only a succeeded payment can be refunded.
                let early = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "10.00"), key: "r0")
                #expect(early.status == 400 && early.code == "invalid_request" && early.parameter == "payment_id")
                _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
                _ = try await receiver.wait(for: 1)

                let partial = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "40.00"), key: "r1")
                #expect(partial.status == 200, "\(partial.json)")
                let refundID = try #require(partial.id)
                #expect(refundID.wholeMatch(of: /[0-9a-f]{8}-0016-50[0-9a-f]{2}-b000-[0-9a-f]{12}/) != nil)
                #expect(partial.paymentStatus == "succeeded" && partial.json["payment_id"] as? String == id)
                #expect(partial.object("amount")?["value"] as? String == "40.00")
                #expect(partial.json["description"] as? String == "test refund")
                // The same key and body: the same refund; another body under it: a conflict.
                let replay = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "40.00"), key: "r1")
                #expect(replay.status == 200 && replay.id == refundID)
                let conflict = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "41.00"), key: "r1")
                #expect(conflict.status == 400 && conflict.parameter == "Idempotence-Key")
                #expect(
                    try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "1.00")).status == 400,
                    "the key is required")

                let payment = try await client.yookassa(.get, "/v3/payments/\(id)")
                #expect(payment.object("refunded_amount")?["value"] as? String == "40.00")
                #expect(payment.json["refundable"] as? Bool == true)
                let tooMuch = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "60.01"), key: "r2")
                #expect(tooMuch.status == 400 && tooMuch.parameter == "amount.value")
                let rest = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "60.00"), key: "r3")
                #expect(rest.status == 200)
                #expect(try await client.yookassa(.get, "/v3/payments/\(id)").json["refundable"] as? Bool == false)

                let read = try await client.yookassa(.get, "/v3/refunds/\(refundID)")
                #expect(read.status == 200 && read.id == refundID && read.paymentStatus == "succeeded")
                let missing = try await client.yookassa(.get, "/v3/refunds/216749f7-0016-50be-b000-000000000000")
                #expect(missing.status == 404 && missing.code == "not_found")
                #expect(try await client.yookassa(.get, "/v3/refunds/\(refundID)", auth: nil).status == 401)

                // One refund.succeeded notification per refund (the replay sent none).
                let notifications = try await receiver.wait(for: 3)
                let refunds = notifications.filter { $0["event"] as? String == "refund.succeeded" }
                #expect(refunds.count == 2)
                let object = refunds.first?["object"] as? [String: Any]
                #expect(object?["id"] as? String == refundID && object?["payment_id"] as? String == id)
                #expect(object?["status"] as? String == "succeeded")
            }
        }
    }

    @Test func aStateFileKeepsPaymentsAndRefundsAcrossRestarts() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ozh-yookassa-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = ["SANDBOX_YOOKASSA_STATE_FILE": path]
        let (id, refundID) = try await YooKassaHarness.withSandbox(settings) { client in
            let id = try #require(try await client.createPayment().id)
            let other = try #require(try await client.createPayment().id)
            _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
            _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(other)/cancel")
            let refund = try await client.yookassa(.post, "/v3/refunds", body: Self.refundBody(id, "25.00"), key: "k")
            // Writes happen in the background: wait (bounded) until the file has the refund.
            let deadline = ContinuousClock.now + .seconds(5)
            while !((try? String(contentsOfFile: path, encoding: .utf8))?.contains("2500") ?? false), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            return (id, try #require(refund.id))
        }
        try await YooKassaHarness.withSandbox(settings) { client in
            let payment = try await client.yookassa(.get, "/v3/payments/\(id)")
            #expect(payment.status == 200 && payment.paymentStatus == "succeeded")
            #expect(payment.object("refunded_amount")?["value"] as? String == "25.00")
            #expect(payment.object("metadata")?["chat_id"] as? String == "42")
            let refund = try await client.yookassa(.get, "/v3/refunds/\(refundID)")
            #expect(refund.status == 200 && refund.object("amount")?["value"] as? String == "25.00")
            let listed = try await client.control(.get, "/_sandbox/yookassa/payments").json["items"] as? [[String: Any]]
            #expect(listed?.map { $0["status"] as? String } == ["succeeded", "canceled"])
        }
    }
}
