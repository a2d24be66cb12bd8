import Foundation
import HummingbirdTesting
import Testing

@testable import Sandbox

@Suite("YooKassa emulator: payments, auth, idempotence")
struct YooKassaPaymentTests {
    @Test func createThenGet() async throws {
        try await YooKassaHarness.withSandbox { client in
            let created = try await client.createPayment()
            #expect(created.status == 200)
            let id = try #require(created.id)
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-000f-5000-[89ab]000-[0-9a-f]{12}/) != nil)
            #expect(created.paymentStatus == "pending")
            #expect(created.json["paid"] as? Bool == false)
            #expect(created.json["test"] as? Bool == true)
            #expect(created.json["refundable"] as? Bool == false)
            #expect(created.object("amount")?["value"] as? String == "100.00")
            #expect(created.object("amount")?["currency"] as? String == "RUB")
            #expect(created.object("metadata")?["chat_id"] as? String == "42")
            #expect(created.object("recipient")?["account_id"] as? String == "123456")
            #expect((created.json["created_at"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let confirmation = try #require(created.object("confirmation"))
            #expect(confirmation["type"] as? String == "redirect")
            #expect(confirmation["return_url"] as? String == "https://t.me/ozh_bot")
            let url = try #require(confirmation["confirmation_url"] as? String)
            #expect(url.wholeMatch(of: /http:\/\/[^\/]+:\d+\/_sandbox\/yookassa\/checkout\/.+/) != nil && url.hasSuffix("/checkout/\(id)"))

            let read = try await client.yookassa(.get, "/v3/payments/\(id)")
            #expect(read.status == 200)
            #expect(read.id == id && read.paymentStatus == "pending")

            let missing = try await client.yookassa(.get, "/v3/payments/2d9977c5-000f-5000-8000-000000000000")
            #expect(missing.status == 404)
            #expect(missing.code == "not_found" && missing.json["type"] as? String == "error")
        }
    }

    @Test func basicAuth() async throws {
        try await YooKassaHarness.withSandbox { client in
            let none = try await client.yookassa(.post, "/v3/payments", body: YooKassaHarness.body(), key: "k1", auth: nil)
            #expect(none.status == 401)
            #expect(none.code == "invalid_credentials")
            #expect(none.json["description"] as? String == "Authentication by given credentials failed")
            #expect(none.json.keys.contains("parameter") && none.json["parameter"] is NSNull)
            let wrong = "Basic " + Data("123456:other".utf8).base64EncodedString()
            #expect(try await client.yookassa(.get, "/v3/payments/x", auth: wrong).status == 401)
            #expect(try await client.yookassaStats()["payments_created"] as? Int == 0)
        }
        // Without configured credentials any non-empty pair is accepted.
        try await SandboxHarness.withSandbox { (client: any TestClientProtocol) async throws in
            let any = "Basic " + Data("shop:key".utf8).base64EncodedString()
            #expect(try await client.yookassa(.post, "/v3/payments", body: YooKassaHarness.body(), key: "k", auth: any).status == 200)
            let empty = "Basic " + Data(":key".utf8).base64EncodedString()
            #expect(try await client.yookassa(.post, "/v3/payments", body: YooKassaHarness.body(), key: "k2", auth: empty).status == 401)
        }
    }

    @Test func idempotenceKeyRules() async throws {
        try await YooKassaHarness.withSandbox { client in
            let missing = try await client.yookassa(.post, "/v3/payments", body: YooKassaHarness.body())
            #expect(missing.status == 400)
            #expect(missing.code == "invalid_request" && missing.parameter == "Idempotence-Key")
            #expect(missing.json["description"] as? String == "Idempotence key isn't specified")
            let long = try await client.createPayment(key: String(repeating: "k", count: 65))
            #expect(long.status == 400 && long.parameter == "Idempotence-Key")

            let first = try await client.createPayment(key: "order-1")
            // Same body with keys in another order is the same request.
            let reordered =
                #"{"metadata":{"item":"pack5","chat_id":"42"},"description":"5 ozhivashki","confirmation":{"return_url":"https://t.me/ozh_bot","type":"redirect"},"capture":true,"amount":{"currency":"RUB","value":"100.00"}}"#
            let again = try await client.createPayment(reordered, key: "order-1")
            #expect(first.status == 200 && again.status == 200)
            #expect(again.id == first.id)
            let other = try await client.createPayment(YooKassaHarness.body(value: "200.00"), key: "order-1")
            #expect(other.status == 400)
            #expect(other.code == "invalid_request")
            #expect(other.json["description"] as? String == "Idempotence key duplicated")

            let stats = try await client.yookassaStats()
            #expect(stats["payments_created"] as? Int == 1)
            #expect(stats["idempotent_replays"] as? Int == 1)
            #expect((stats["by_idempotence_key"] as? [String: Any])?["order-1"] as? Int == 1)
            #expect((try await client.control(.get, "/_sandbox/yookassa/payments").json["items"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: [
        ("100", "RUB", "amount.value"), ("100.0", "RUB", "amount.value"), ("0.00", "RUB", "amount.value"),
        ("-1.00", "RUB", "amount.value"), ("1e3", "RUB", "amount.value"), ("100.00", "USD", "amount.currency"),
    ])
    func amountValidation(value: String, currency: String, parameter: String) async throws {
        try await YooKassaHarness.withSandbox { client in
            let reply = try await client.createPayment(YooKassaHarness.body(value: value, currency: currency))
            #expect(reply.status == 400)
            #expect(reply.code == "invalid_request")
            #expect(reply.parameter == parameter)
        }
    }

    @Test func otherValidation() async throws {
        try await YooKassaHarness.withSandbox { client in
            let number = #"{"amount":{"value":100.00,"currency":"RUB"},"confirmation":{"type":"redirect","return_url":"https://x"}}"#
            #expect(try await client.createPayment(number).parameter == "amount.value")
            let noReturn = #"{"amount":{"value":"1.00","currency":"RUB"},"confirmation":{"type":"redirect"}}"#
            #expect(try await client.createPayment(noReturn).parameter == "confirmation.return_url")
            let long = try await client.createPayment(YooKassaHarness.body(description: String(repeating: "a", count: 129)))
            #expect(long.status == 400 && long.parameter == "description")
            let keys = (1...17).map { #""k\#($0)":"v""# }.joined(separator: ",")
            let metadata =
                #"{"amount":{"value":"1.00","currency":"RUB"},"confirmation":{"type":"redirect","return_url":"https://x"},"metadata":{\#(keys)}}"#
            #expect(try await client.createPayment(metadata).parameter == "metadata")
            #expect(try await client.yookassaStats()["payments_created"] as? Int == 0)
        }
    }
}
