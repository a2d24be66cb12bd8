import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages

/// `POST /generate` end to end: gateway → Redis → real generation worker → sandbox Gemini → GridFS.
@Suite("Generation end to end", .serialized, .needsServers)
struct GenerateAPITests {
    static let drawing = try! MagickImage.makeImage(width: 640, height: 480, format: .png, color: "#3366ff")

    func ledgerSum(_ services: GatewayServices, _ chatID: Int64) async throws -> Int64 {
        try await services.users.ledger.entries(chatID: chatID, limit: 500).map(\.delta).reduce(0, +)
    }

    @Test func seedFlowFirstGenerationWithBonusesAndReferral() async throws {
        try await GenerationStack.run { client, services, stack in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 987654321}"#).status == 201)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 123456789, "referral_code": "ref_987654321"}"#).status == 201)
            let (status, accepted) = try await client.generate(chatID: "123456789", image: Self.drawing)
            #expect(status == 202, "\(accepted)")
            let jobID = try #require(accepted["job_id"] as? String)
            #expect(accepted["status_url"] as? String == "/jobs/\(jobID)")
            let (_, job) = try await client.call(.get, "/jobs/\(jobID)?wait=60")
            #expect(job["status"] as? String == "succeeded", "\(job)")
            let result = try #require(job["result"] as? [String: Any])
            let main = try #require(result["main_images"] as? [String])
            let bonus = try #require(result["bonus_images"] as? [String])
            #expect(main.count == 4)
            #expect(bonus.count == 2, "two bonus images on the first generation")
            #expect(Set(main + bonus).count == 6, "every image differs")
            for image in main + bonus {
                #expect(ImageFormat.sniff(Data(base64Encoded: image) ?? Data()) != nil)
            }
            #expect(result["ozhivashki_spent"] as? Int == 1)
            #expect(result["new_balance"] as? Int == 0)
            #expect((job["progress"] as? [String: Any])?["images_done"] as? Int == 6)

            let (_, user) = try await client.call(.get, "/users/123456789")
            #expect(user["generation_count"] as? Int == 1)
            #expect(user["first_generation_time"] is String)
            #expect(user["last_generation_time"] is String)
            #expect(user["referral_bonus_claimed"] as? Bool == true)
            #expect(user["ozhivashki"] as? Int == 0)
            let (_, referrer) = try await client.call(.get, "/users/987654321")
            #expect(referrer["ozhivashki"] as? Int == 2, "the referrer got +1")
            #expect(try await ledgerSum(services, 123456789) == 0)
            #expect(try await ledgerSum(services, 987654321) == 2)

            let image = try await client.execute(uri: "/jobs/\(jobID)/images/5", method: .get, headers: GatewayHarness.headers()) {
                ($0.status.code, Data($0.body.readableBytesView))
            }
            #expect(image.0 == 200)
            #expect(ImageFormat.sniff(image.1) == .png)
            #expect(try await client.call(.get, "/jobs/\(jobID)/images/6").status == 404)

            let stats = try await stack.sandboxCall("GET", "/_sandbox/gemini/stats")
            #expect(stats["total_calls"] as? Int == 6, "one Gemini call per image")
        }
    }

    @Test func waitAnswersTheSeedBodyAndBalanceRulesHold() async throws {
        try await GenerationStack.run { client, services, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 21}"#).status == 201)
            let (status, body) = try await client.generate(chatID: "21", image: Self.drawing, query: "?wait=60")
            #expect(status == 200)
            #expect(Set(body.keys) == ["main_images", "bonus_images", "ozhivashki_spent", "new_balance", "job_id"])
            #expect(body["new_balance"] as? Int == 0)
            // Balance 0 now: 402 and nothing queued.
            let before = try await services.queue.stats(queue: "generation").ready
            let (poor, poorBody) = try await client.generate(chatID: "21", image: Self.drawing)
            #expect(poor == 402)
            #expect(errorCode(poorBody) == "insufficient_balance")
            #expect(try await services.queue.stats(queue: "generation").ready == before)
            let (unknown, unknownBody) = try await client.generate(chatID: "4040", image: Self.drawing)
            #expect(unknown == 404)
            #expect(errorCode(unknownBody) == "user_not_found")
            #expect(try await ledgerSum(services, 21) == 0)
        }
    }

    @Test func safetyBlockFailsTheJobAndRefunds() async throws {
        try await GenerationStack.run { client, services, stack in
            try await stack.sandboxCall("POST", "/_sandbox/gemini/faults", json: #"{"block": "prompt"}"#)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 31}"#).status == 201)
            let (_, accepted) = try await client.generate(chatID: "31", image: Self.drawing)
            let jobID = try #require(accepted["job_id"] as? String)
            let (_, job) = try await client.call(.get, "/jobs/\(jobID)?wait=60")
            #expect(job["status"] as? String == "failed")
            #expect((job["error"] as? [String: Any])?["code"] as? String == "safety_block")
            let (_, user) = try await client.call(.get, "/users/31")
            #expect(user["ozhivashki"] as? Int == 1, "refunded")
            #expect(user["generation_count"] as? Int == 0)
            #expect(try await ledgerSum(services, 31) == 1)
            let reasons = try await services.users.ledger.entries(chatID: 31, limit: 10).map(\.reason)
            #expect(reasons == ["refund", "generation", "signup"])
        }
    }

    @Test func idempotencyKeyAndActiveJobLimit() async throws {
        try await GenerationStack.run(sandbox: ["SANDBOX_GEMINI_LATENCY_MS": "400"], settings: ["MAX_ACTIVE_GENERATIONS": "1"]) {
            client, services, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 41}"#).status == 201)
            _ = try await services.users.ledger.apply(operationID: "gift:41", chatID: 41, now: Date()) { _ in
                BalanceChange(delta: 5, reason: "gift")
            }
            let (first, firstBody) = try await client.generate(chatID: "41", image: Self.drawing, idempotencyKey: "bot-retry-1")
            let (again, againBody) = try await client.generate(chatID: "41", image: Self.drawing, idempotencyKey: "bot-retry-1")
            #expect(first == 202 && again == 202)
            #expect(firstBody["job_id"] as? String == againBody["job_id"] as? String)
            let (other, otherBody) = try await client.generate(chatID: "41", image: Self.drawing)
            #expect(other == 429)
            #expect(errorCode(otherBody) == "too_many_jobs")
            let otherDrawing = try MagickImage.makeImage(width: 300, height: 200, format: .png, color: "#22aa44")
            let (reused, reusedBody) = try await client.generate(chatID: "41", image: otherDrawing, idempotencyKey: "bot-retry-1")
            #expect(reused == 409)
            #expect(errorCode(reusedBody) == "idempotency_key_reused")
            let (_, user) = try await client.call(.get, "/users/41")
            #expect(user["ozhivashki"] as? Int == 5, "charged once for the two identical requests")
        }
    }
    /// A request refused with 429 claims its Idempotency-Key but queues nothing: the retry with
    /// the same key must create (and charge) the job then, not answer 404 (found by the fault suite).
    @Test func retryWithTheKeyOfARefusedRequestCreatesTheJob() async throws {
        try await GenerationStack.run(sandbox: ["SANDBOX_GEMINI_LATENCY_MS": "300"], settings: ["MAX_ACTIVE_GENERATIONS": "1"]) {
            client, services, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 43}"#).status == 201)
            _ = try await services.users.ledger.apply(operationID: "gift:43", chatID: 43, now: Date()) { _ in
                BalanceChange(delta: 5, reason: "gift")
            }
            let (first, firstBody) = try await client.generate(chatID: "43", image: Self.drawing, idempotencyKey: "bot-first")
            #expect(first == 202)
            let (refused, refusedBody) = try await client.generate(chatID: "43", image: Self.drawing, idempotencyKey: "bot-second")
            #expect(refused == 429 && errorCode(refusedBody) == "too_many_jobs")
            let firstJob = try #require(firstBody["job_id"] as? String)
            #expect(try await client.call(.get, "/jobs/\(firstJob)?wait=30").body["status"] as? String == "succeeded")
            let (retried, retriedBody) = try await client.generate(chatID: "43", image: Self.drawing, idempotencyKey: "bot-second")
            #expect(retried == 202, "\(retriedBody)")
            let secondJob = try #require(retriedBody["job_id"] as? String)
            #expect(secondJob != firstJob)
            #expect(try await client.call(.get, "/jobs/\(secondJob)?wait=30").body["status"] as? String == "succeeded")
            let (_, ledger) = try await client.call(.get, "/users/43/ledger")
            let reasons = (ledger["entries"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
            #expect(reasons.filter { $0 == "generation" }.count == 2, "each job charged once: \(reasons)")
            #expect(ledger["ozhivashki"] as? Int == 1 + 5 - 2)
        }
    }
}
