import Foundation
import Testing

@testable import Sandbox

@Suite("YooKassa emulator: webhooks")
struct YooKassaWebhookTests {
    static let fast = ["SANDBOX_YOOKASSA_REDELIVERY_MS": "50,100,100,100,100,100"]

    @Test func deliveredOnEveryStatusChange() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await YooKassaHarness.withSandbox(Self.fast.merging(["SANDBOX_YOOKASSA_WEBHOOK_URL": url]) { $1 }) { client in
                let id = try #require(try await client.createPayment(YooKassaHarness.body(capture: false)).id)
                _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
                let first = try await receiver.wait(for: 1)
                #expect(first.first?["type"] as? String == "notification")
                #expect(first.first?["event"] as? String == "payment.waiting_for_capture")
                #expect((first.first?["object"] as? [String: Any])?["id"] as? String == id)
                _ = try await client.yookassa(.post, "/v3/payments/\(id)/capture", body: "{}", key: "c")
                let second = try await receiver.wait(for: 2)
                #expect(second.last?["event"] as? String == "payment.succeeded")
                #expect(((second.last?["object"] as? [String: Any])?["paid"]) as? Bool == true)
                let other = try #require(try await client.createPayment().id)
                _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(other)/cancel")
                let third = try await receiver.wait(for: 3)
                #expect(third.last?["event"] as? String == "payment.canceled")
                let stats = try await client.yookassaStats()
                #expect((stats["webhooks"] as? [String: Any])?["delivered"] as? Int == 3)
            }
        }
    }

    @Test func redeliveredAfterFailures() async throws {
        let receiver = WebhookReceiver(failures: 2)
        try await receiver.serve { url in
            try await YooKassaHarness.withSandbox(Self.fast) { client in
                let config = try await client.control(.post, "/_sandbox/yookassa/config", json: #"{"webhook_url": "\#(url)"}"#)
                #expect(config.json["webhook_url"] as? String == url)
                let id = try #require(try await client.createPayment().id)
                _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
                let received = try await receiver.wait(for: 1)
                #expect(received.count == 1)
                #expect(received.first?["event"] as? String == "payment.succeeded")
                #expect(await receiver.attempts == 3)
                let webhooks = try #require(try await client.yookassaStats()["webhooks"] as? [String: Any])
                #expect(webhooks["sent"] as? Int == 3)
                #expect(webhooks["failed"] as? Int == 2)
                #expect(webhooks["delivered"] as? Int == 1)
                let log = try #require(try await client.control(.get, "/_sandbox/yookassa/webhooks").json["items"] as? [[String: Any]])
                #expect(log.map { $0["status"] as? Int } == [500, 500, 200])
                #expect(log.map { $0["attempt"] as? Int } == [1, 2, 3])
            }
        }
    }

    @Test func duplicateAndDroppedDeliveries() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            try await YooKassaHarness.withSandbox(Self.fast.merging(["SANDBOX_YOOKASSA_WEBHOOK_URL": url]) { $1 }) { client in
                _ = try await client.control(.post, "/_sandbox/yookassa/faults", json: #"{"duplicate_deliveries": 2}"#)
                let id = try #require(try await client.createPayment().id)
                _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(id)/succeed")
                let received = try await receiver.wait(for: 2)
                #expect(received.count == 2)
                #expect(received.allSatisfy { ($0["object"] as? [String: Any])?["id"] as? String == id })

                _ = try await client.control(.post, "/_sandbox/yookassa/faults", json: #"{"duplicate_deliveries": 1, "drop_webhooks": true}"#)
                let dropped = try #require(try await client.createPayment().id)
                _ = try await client.control(.post, "/_sandbox/yookassa/payments/\(dropped)/succeed")
                try await Task.sleep(for: .milliseconds(200))
                #expect(await receiver.count == 2)
                #expect((try await client.yookassaStats()["webhooks"] as? [String: Any])?["dropped"] as? Int == 1)
            }
        }
    }
}
