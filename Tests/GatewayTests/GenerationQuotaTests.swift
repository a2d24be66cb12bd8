import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhImages

/// Quota, key rotation and crash safety of generation, against the sandbox's own accounting.
@Suite("Generation quota and crashes", .serialized, .needsServers)
struct GenerationQuotaTests {
    static let drawing = try! MagickImage.makeImage(width: 320, height: 240, format: .png, color: "#ff3366")

    /// Registers `count` users with enough balance and submits one generation each.
    func submit(_ client: some TestClientProtocol, _ services: GatewayServices, users: Range<Int>) async throws -> [String] {
        var jobs: [String] = []
        for chat in users {
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": \#(chat)}"#).status == 201)
            let (status, body) = try await client.generate(chatID: "\(chat)", image: Self.drawing)
            #expect(status == 202, "\(body)")
            if let id = body["job_id"] as? String { jobs.append(id) }
        }
        return jobs
    }

    func waitAll(_ client: some TestClientProtocol, _ jobs: [String], seconds: Int) async throws -> [String] {
        var statuses: [String] = []
        for id in jobs {
            let (_, job) = try await client.call(.get, "/jobs/\(id)?wait=\(seconds)")
            statuses.append(job["status"] as? String ?? "?")
        }
        return statuses
    }

    @Test func threeProjectsUnderFourWorkersNeverExceedTheirLimits() async throws {
        // 3 projects × 6 calls per 2 s window; 4 jobs × 6 images = 24 calls need at least 2 windows.
        let keys = "pa:key-a-1111,pb:key-b-2222,pc:key-c-3333"
        try await GenerationStack.run(
            workers: 4,
            sandbox: ["SANDBOX_GEMINI_KEYS": keys, "SANDBOX_GEMINI_RPM": "6", "SANDBOX_GEMINI_WINDOW_MS": "2000"],
            settings: ["GEMINI_API_KEYS_STR": keys, "GEMINI_RPM": "6", "GEMINI_WINDOW_MS": "2000", "MAIN_IMAGES": "4"]
        ) { client, services, stack in
            let jobs = try await submit(client, services, users: 100..<104)
            // While quota is spent a job waits (retrying, with when it goes on); it does not fail.
            var sawWaiting = false
            for _ in 0..<40 where !sawWaiting {
                for id in jobs {
                    let (_, job) = try await client.call(.get, "/jobs/\(id)")
                    if job["status"] as? String == "retrying", job["retry_at"] is String,
                        (job["waiting_because"] as? String)?.contains("quota") == true
                    {
                        sawWaiting = true
                    }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(sawWaiting, "some job waited for quota")
            #expect(try await waitAll(client, jobs, seconds: 60) == Array(repeating: "succeeded", count: 4))
            let stats = try await stack.sandboxCall("GET", "/_sandbox/gemini/stats")
            let projects = try #require(stats["projects"] as? [String: [String: Any]])
            for (name, project) in projects {
                #expect(project["rate_limited"] as? Int == 0, "\(name) got 429s")
                #expect((project["max_attempts_in_any_window"] as? Int ?? 99) <= 6, "\(name) over its limit: \(project)")
            }
            #expect(stats["total_calls"] as? Int == 4 * 6)
        }
    }

    @Test func aRealRateLimitMovesWorkToAnotherProject() async throws {
        // The sandbox allows 4 calls per minute per project; the limiter believes 100. Project
        // "tight" is used up from outside first, so its 429 must cool it down and send the
        // generation (2 main + 2 bonus images) to "roomy".
        try await GenerationStack.run(
            sandbox: [
                "SANDBOX_GEMINI_KEYS": "tight:key-t-1111,roomy:key-r-2222", "SANDBOX_GEMINI_RPM": "4",
                "SANDBOX_GEMINI_WINDOW_MS": "60000",
            ],
            settings: [
                "GEMINI_API_KEYS_STR": "tight:key-t-1111,roomy:key-r-2222,roomy:key-r-3333", "GEMINI_RPM": "100",
                "MAIN_IMAGES": "2",
            ]
        ) { client, services, stack in
            let gemini = GeminiClient(baseURL: stack.geminiBaseURL, http: HTTPClient())
            for _ in 0..<4 {
                let outcome = try await gemini.generate(
                    model: "gemini-2.5-flash-image", prompt: "x", image: Self.drawing,
                    mimeType: "image/png", key: "key-t-1111")
                if case .image = outcome {} else { Issue.record("pre-use of tight failed: \(outcome)") }
            }
            // "roomy" has two keys in the limiter but the sandbox knows one: the unknown one is
            // rejected (API_KEY_INVALID) and disabled, and the other key of the project carries on.
            let jobs = try await submit(client, services, users: 200..<201)
            #expect(try await waitAll(client, jobs, seconds: 60) == ["succeeded"])
            let stats = try await stack.sandboxCall("GET", "/_sandbox/gemini/stats")
            let projects = try #require(stats["projects"] as? [String: [String: Any]])
            #expect((projects["tight"]?["rate_limited"] as? Int ?? 0) >= 1, "tight answered 429: \(projects)")
            #expect(projects["tight"]?["ok"] as? Int == 4, "only the 4 calls made from outside")
            #expect(projects["roomy"]?["ok"] as? Int == 4, "all 4 images came from roomy")
            let quota = try #require(services.quota.keyLimiter)
            let disabled = try await quota.disabledKeys()
            #expect(disabled.map(\.label) == ["…3333"], "the invalid key was disabled: \(disabled)")
        }
    }

    @Test func dailyQuotaSpentAnswers503AndChargesNothing() async throws {
        try await GenerationStack.run(settings: ["GEMINI_API_KEYS_STR": "solo:key-s-1111", "GEMINI_RPD": "6"]) { client, services, _ in
            let jobs = try await submit(client, services, users: 300..<301)
            #expect(try await waitAll(client, jobs, seconds: 60) == ["succeeded"])
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 301}"#).status == 201)
            let (spent, headers, spentBody) = try await client.generateWithHeaders(chatID: "301", image: Self.drawing)
            #expect(spent == 503)
            let retryAfter = try #require(headers[.retryAfter].flatMap(Int.init), "503 carries Retry-After")
            #expect(retryAfter > 0 && retryAfter <= 25 * 3600, "until the Pacific midnight reset")
            #expect(errorCode(spentBody) == "quota_exhausted")
            let (_, user) = try await client.call(.get, "/users/301")
            #expect(user["ozhivashki"] as? Int == 1, "nothing charged")
        }
    }

    @Test func aWorkerKilledMidGenerationFinishesOnceWithoutPayingTwice() async throws {
        try await GenerationStack.run(
            workers: 1, sandbox: ["SANDBOX_GEMINI_LATENCY_MS": "600"],
            settings: ["MAIN_IMAGES": "4"]
        ) { client, services, stack in
            let jobs = try await submit(client, services, users: 400..<401)
            let id = try #require(jobs.first)
            // Wait until at least two images are checkpointed, then SIGKILL the worker.
            var done = 0
            for _ in 0..<100 where done < 2 {
                let (_, job) = try await client.call(.get, "/jobs/\(id)")
                done = (job["progress"] as? [String: Any])?["images_done"] as? Int ?? 0
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(done >= 2)
            let victim = stack.workers[0]
            kill(victim.processIdentifier, SIGKILL)
            // A new worker recovers the dead one's job after its heartbeat goes silent (15 s).
            try await stack.startWorker(services.settings)
            let (_, job) = try await client.call(.get, "/jobs/\(id)?wait=60")
            #expect(job["status"] as? String == "succeeded", "\(job)")
            #expect((job["attempts"] as? Int ?? 0) >= 2)
            let stats = try await stack.sandboxCall("GET", "/_sandbox/gemini/stats")
            let calls = stats["total_calls"] as? Int ?? 0
            // 6 images; at most the one call in flight at the kill is paid twice.
            #expect(calls <= 7, "no checkpointed image was generated again: \(calls) calls")
            let (_, user) = try await client.call(.get, "/users/400")
            #expect(user["ozhivashki"] as? Int == 0, "charged exactly once")
            #expect(user["generation_count"] as? Int == 1)
            let entries = try await services.users.ledger.entries(chatID: 400, limit: 50)
            #expect(entries.map(\.delta).reduce(0, +) == 0)
        }
    }
}
