import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhQueue

/// Push on completion end to end: the gateway, a real generation worker, a real payment worker
/// (which delivers the callbacks), the sandbox, and a receiver process that checks every
/// delivery with the Standard Webhooks reference verifier.
@Suite("Push callbacks", .serialized, .needsServers, .needsVenv(for: "standardwebhooks"))
struct CallbackTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#3366ff")

    @Test func succeededGenerationIsPushedSignedWithProgress() async throws {
        let receiver = try await CallbackReceiver()
        defer { receiver.stop() }
        try await GenerationStack.run(settings: CallbackTestSupport.settings()) { client, services, stack in
            try await CallbackTestSupport.startDeliveries(stack, services)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7101}"#).status == 201)
            let (status, accepted) = try await client.generate(
                chatID: "7101", image: Self.drawing,
                fields: [("callback_url", receiver.url), ("callback_events", "progress")])
            #expect(status == 202, "\(accepted)")
            let jobID = try #require(accepted["job_id"] as? String)
            let records = try await receiver.wait { $0.contains { $0["webhook_id"] as? String == "\(jobID).succeeded" } }
            let end = try #require(records.first { $0["webhook_id"] as? String == "\(jobID).succeeded" })
            #expect(end["verified"] as? [Bool] == [true], "the reference verifier accepts the signature")
            #expect(end["signatures"] as? Int == 1)
            #expect(end["status"] as? String == "succeeded")
            #expect(end["path"] as? String == "/hooks/ozh")
            #expect((end["result_keys"] as? [String]).map(Set.init) == ["main_images", "bonus_images", "ozhivashki_spent", "new_balance", "job_id"])
            let progress = records.filter { ($0["webhook_id"] as? String)?.hasPrefix("\(jobID).progress.") == true }
            #expect(!progress.isEmpty, "a push per image with callback_events=progress")
            #expect(progress.allSatisfy { $0["verified"] as? [Bool] == [true] })
            // GET /jobs shows the delivery; its cached answer changed with it.
            let job = try await CallbackTestSupport.waitForCallback(client, jobID) { $0["status"] as? String == "delivered" }
            let callback = try #require(job["callback"] as? [String: Any])
            #expect(callback["attempts"] as? Int == 1)
            #expect(callback["last_status"] as? Int == 204)
            #expect(callback["next_attempt_at"] is NSNull)
            #expect(job["callback_url"] == nil, "the URL itself is never shown")
        }
    }

    @Test func failingReceiverIsRetriedWithTheSameWebhookID() async throws {
        let receiver = try await CallbackReceiver(arguments: ["--fail-first", "1"])
        defer { receiver.stop() }
        try await GenerationStack.run(settings: CallbackTestSupport.settings()) { client, services, stack in
            try await CallbackTestSupport.startDeliveries(stack, services)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7102}"#).status == 201)
            let (status, accepted) = try await client.generate(chatID: "7102", image: Self.drawing, fields: [("callback_url", receiver.url)])
            #expect(status == 202, "\(accepted)")
            let jobID = try #require(accepted["job_id"] as? String)
            let records = try await receiver.wait { $0.count >= 2 }
            #expect(records.map { $0["answered"] as? Int } == [500, 204])
            #expect(Set(records.compactMap { $0["webhook_id"] as? String }) == ["\(jobID).succeeded"], "one id for every attempt")
            #expect(records.allSatisfy { $0["verified"] as? [Bool] == [true] })
            let job = try await CallbackTestSupport.waitForCallback(client, jobID) { $0["status"] as? String == "delivered" }
            #expect((job["callback"] as? [String: Any])?["attempts"] as? Int == 2)
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.records.count == 2, "nothing more after the 2xx")
        }
    }

    @Test func failedPaymentJobIsPushedWithItsError() async throws {
        let receiver = try await CallbackReceiver()
        defer { receiver.stop() }
        // The sandbox expects other YooKassa credentials than the worker's: create_payment fails for good (401).
        let sandbox = ["SANDBOX_YOOKASSA_SHOP_ID": "500123", "SANDBOX_YOOKASSA_SECRET_KEY": "test_sandbox-secret"]
        try await GenerationStack.run(workers: 0, sandbox: sandbox, settings: CallbackTestSupport.settings()) { client, services, stack in
            try await CallbackTestSupport.startDeliveries(stack, services)
            _ = try await client.call(.post, "/users", json: #"{"chat_id": 7103}"#)
            let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100.00, "callback_url": "\#(receiver.url)"}"#
            let (status, accepted) = try await client.call(.post, "/users/7103/create_payment", json: order)
            #expect(status == 202, "\(accepted)")
            let jobID = try #require(accepted["job_id"] as? String)
            let records = try await receiver.wait { !$0.isEmpty }
            #expect(records.first?["webhook_id"] as? String == "\(jobID).failed")
            #expect(records.first?["status"] as? String == "failed")
            #expect((records.first?["error"] as? [String: Any])?["code"] as? String == "yookassa_invalid_credentials")
            #expect(records.first?["verified"] as? [Bool] == [true])
        }
    }

    @Test func jobCallbackURLAppliesToAPaymentThatNamesNone() async throws {
        let receiver = try await CallbackReceiver()
        defer { receiver.stop() }
        var settings = CallbackTestSupport.settings()
        settings["JOB_CALLBACK_URL"] = receiver.url
        let withDefault = settings
        try await GenerationStack.run(workers: 0, settings: withDefault) { client, services, stack in
            try await CallbackTestSupport.startDeliveries(stack, services, withDefault)
            _ = try await client.call(.post, "/users", json: #"{"chat_id": 7109}"#)
            let (status, accepted) = try await client.call(.post, "/users/7109/create_payment", json: PaymentTestSupport.order)
            #expect(status == 202, "\(accepted)")
            let jobID = try #require(accepted["job_id"] as? String)
            let records = try await receiver.wait { !$0.isEmpty }
            #expect(records.first?["webhook_id"] as? String == "\(jobID).succeeded")
            #expect(records.first?["kind"] as? String == "create_payment")
            #expect((records.first?["result_keys"] as? [String]).map(Set.init) == ["payment_url", "payment_id"])
            #expect(records.first?["verified"] as? [Bool] == [true])
        }
    }

    @Test func twoSecretsDuringRotationSignTwice() async throws {
        let receiver = try await CallbackReceiver(secrets: [CallbackReceiver.secret, CallbackReceiver.nextSecret])
        defer { receiver.stop() }
        let settings = CallbackTestSupport.settings(secrets: "\(CallbackReceiver.secret),\(CallbackReceiver.nextSecret)")
        try await GenerationStack.run(settings: settings) { client, services, stack in
            try await CallbackTestSupport.startDeliveries(stack, services, settings)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7104}"#).status == 201)
            let (status, _) = try await client.generate(chatID: "7104", image: Self.drawing, fields: [("callback_url", receiver.url)])
            #expect(status == 202)
            let records = try await receiver.wait { !$0.isEmpty }
            #expect(records.first?["signatures"] as? Int == 2)
            #expect(records.first?["verified"] as? [Bool] == [true, true], "a receiver on either secret accepts it")
        }
    }

    @Test func restartOfTheDeliveringWorkerMidRetryStillDelivers() async throws {
        let receiver = try await CallbackReceiver(arguments: ["--fail-first", "1"])
        defer { receiver.stop() }
        var slower = CallbackTestSupport.settings()
        slower["CALLBACK_RETRY_BASE_MS"] = "1500"
        let settings = slower
        try await GenerationStack.run(settings: settings) { client, services, stack in
            let first = try await CallbackTestSupport.startDeliveries(stack, services, settings)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7105}"#).status == 201)
            let (_, accepted) = try await client.generate(chatID: "7105", image: Self.drawing, fields: [("callback_url", receiver.url)])
            let jobID = try #require(accepted["job_id"] as? String)
            try await CallbackTestSupport.waitForCallback(client, jobID) { $0["status"] as? String == "retrying" }
            kill(first.processIdentifier, SIGTERM)
            #expect(await Executables.waitForExit(first, within: .seconds(30)) != nil)
            try await CallbackTestSupport.startDeliveries(stack, services, settings)
            let records = try await receiver.wait { $0.contains { $0["answered"] as? Int == 204 } }
            #expect(Set(records.compactMap { $0["webhook_id"] as? String }) == ["\(jobID).succeeded"])
            try await CallbackTestSupport.waitForCallback(client, jobID) { $0["status"] as? String == "delivered" }
        }
    }

    @Test func redirectIsAFailureAndATargetNoLongerAllowedIsRefusedAtDelivery() async throws {
        let redirecting = try await CallbackReceiver(arguments: ["--redirect", "http://10.0.0.1/metadata"])
        defer { redirecting.stop() }
        try await GenerationStack.run(settings: CallbackTestSupport.settings()) { client, services, stack in
            // This worker does not allow 127.0.0.1: the gateway accepted it, the delivery refuses it (no request sent).
            var strict = CallbackTestSupport.settings()
            strict["CALLBACK_ALLOWED_HOSTS"] = "callbacks.example.test"
            try await CallbackTestSupport.startDeliveries(stack, services, strict)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7106}"#).status == 201)
            let (_, accepted) = try await client.generate(chatID: "7106", image: Self.drawing, fields: [("callback_url", redirecting.url)])
            let jobID = try #require(accepted["job_id"] as? String)
            let refused = try await CallbackTestSupport.waitForCallback(client, jobID) { $0["last_status"] as? String == "refused_target" }
            #expect((refused["callback"] as? [String: Any])?["status"] as? String == "retrying")
            #expect(redirecting.records.isEmpty, "nothing was sent to a refused target")
        }
        try await GenerationStack.run(settings: CallbackTestSupport.settings()) { client, services, stack in
            try await CallbackTestSupport.startDeliveries(stack, services)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7107}"#).status == 201)
            let (_, accepted) = try await client.generate(chatID: "7107", image: Self.drawing, fields: [("callback_url", redirecting.url)])
            let jobID = try #require(accepted["job_id"] as? String)
            let job = try await CallbackTestSupport.waitForCallback(client, jobID) { $0["last_status"] as? Int == 302 }
            #expect((job["callback"] as? [String: Any])?["status"] as? String == "retrying", "a 3xx is not followed, it is a failure")
            #expect(redirecting.records.allSatisfy { $0["answered"] as? Int == 302 })
        }
    }

    @Test func privateAndMalformedCallbackURLsAreRefusedBeforeAnythingIsCharged() async throws {
        // No CALLBACK_ALLOWED_HOSTS: loopback is refused like any private target.
        try await GatewayHarness.withGateway(CallbackTestSupport.settings(allowed: "")) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 7108}"#).status == 201)
            let refused = [
                "http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/",
                "http://localhost:9/hook", "ftp://example.com/hook", "http://[fd00:ec2::254]/", "http://100.64.0.1/",
                "http://192.168.1.1/", "http://172.16.0.1/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "not a url",
                "http://user:pw@example.com/",
            ]
            for url in refused {
                let (status, body) = try await client.generate(chatID: "7108", image: Self.drawing, fields: [("callback_url", url)])
                #expect(status == 400, "\(url): \(body)")
                #expect(errorCode(body) == "invalid_callback_url", "\(url): \(body)")
            }
            let (status, body) = try await client.generate(
                chatID: "7108", image: Self.drawing,
                fields: [("callback_url", "http://127.0.0.1:9/"), ("callback_events", "all")])
            #expect(status == 400 && errorCode(body) == "invalid_callback_events", "\(body)")
            let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100.00, "callback_url": "http://10.0.0.1/"}"#
            let (paymentStatus, paymentBody) = try await client.call(.post, "/users/7108/create_payment", json: order)
            #expect(paymentStatus == 400 && errorCode(paymentBody) == "invalid_callback_url", "\(paymentBody)")
            let (_, user) = try await client.call(.get, "/users/7108")
            #expect(user["ozhivashki"] as? Int == 1, "nothing was charged")
            #expect(try await services.queue.stats(queue: QueueNames.generation).ready == 0, "nothing was queued")
            #expect(try await services.queue.stats(queue: QueueNames.payment).ready == 0)
        }
    }
}
