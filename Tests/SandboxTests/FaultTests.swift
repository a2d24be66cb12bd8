import Foundation
import Testing

@testable import Sandbox

@Suite("Fault injection through /_sandbox/gemini/faults")
struct FaultTests {
    @Test func latencyDelaysAcceptedCalls() async throws {
        try await SandboxHarness.withSandbox { client in
            let set = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"latency_ms": 300}"#)
            #expect(set.status == 200)
            let started = ContinuousClock.now
            let reply = try await client.generate(key: "k")
            let elapsed = ContinuousClock.now - started
            #expect(reply.status == 200)
            #expect(elapsed >= .milliseconds(300))
        }
    }

    @Test func injectedServerErrorsStillTakeQuota() async throws {
        try await SandboxHarness.withSandbox(["SANDBOX_GEMINI_RPM": "2"]) { client in
            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"error_rate": 1.0}"#)
            let overloaded = try await client.generate(key: "k")
            #expect(overloaded.status == 503)
            #expect(overloaded.errorStatus == "UNAVAILABLE")
            #expect(overloaded.error["message"] as? String == "The model is overloaded. Please try again later.")

            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"error_status": 500}"#)
            let failed = try await client.generate(key: "k")
            #expect(failed.status == 500)
            #expect(failed.errorStatus == "INTERNAL")

            // Both injected errors consumed the project's two calls.
            #expect(try await client.generate(key: "k").status == 429)
            let stats = try await client.stats()
            #expect(stat(stats, "keys", "k", "errors") == 2)
            #expect(stat(stats, "keys", "k", "rate_limited") == 1)
        }
    }

    @Test func promptBlockImageBlockAndTextOnly() async throws {
        try await SandboxHarness.withSandbox { client in
            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"block": "prompt"}"#)
            let prompt = try await client.generate(key: "k", body: SandboxHarness.body())
            #expect(prompt.status == 200)
            #expect(prompt.json["candidates"] == nil)
            let feedback = try #require(prompt.json["promptFeedback"] as? [String: Any])
            #expect(feedback["blockReason"] as? String == "SAFETY")
            #expect((feedback["safetyRatings"] as? [Any])?.isEmpty == false)
            #expect(prompt.json["usageMetadata"] != nil)

            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"block": "image"}"#)
            let image = try await client.generate(key: "k", body: SandboxHarness.body())
            #expect(image.status == 200)
            #expect(image.finishReason == "IMAGE_SAFETY")
            #expect(image.imageData == nil)

            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"block": null, "text_only": true}"#)
            let text = try await client.generate(key: "k", body: SandboxHarness.body())
            #expect(text.status == 200)
            #expect(text.finishReason == "STOP")
            #expect(text.imageData == nil)
            #expect(text.parts.count == 1 && text.parts.first?["text"] is String)

            let stats = try await client.stats()
            #expect(stat(stats, "keys", "k", "ok") == 3)
            #expect(stat(stats, "projects", "k", "blocked") == 2)
            #expect(stat(stats, "projects", "k", "text_only") == 1)
        }
    }

    @Test func invalidKeysFault() async throws {
        try await SandboxHarness.withSandbox { client in
            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"invalid_keys": ["revoked-key"]}"#)
            let revoked = try await client.generate(key: "revoked-key")
            #expect(revoked.status == 400)
            #expect(revoked.detail("ErrorInfo")?["reason"] as? String == "API_KEY_INVALID")
            #expect(try await client.generate(key: "fine-key").status == 200)
        }
    }

    @Test func partialUpdatesGetAndDelete() async throws {
        try await SandboxHarness.withSandbox(["SANDBOX_GEMINI_LATENCY_MS": "5"]) { client in
            let initial = try await client.control(.get, "/_sandbox/gemini/faults")
            #expect(initial.json["latency_ms"] as? Int == 5)
            #expect(initial.json["error_status"] as? Int == 503)

            let updated = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"error_rate": 0.25, "seed": 7}"#)
            #expect(updated.status == 200)
            #expect(updated.json["error_rate"] as? Double == 0.25)
            #expect(updated.json["latency_ms"] as? Int == 5)
            #expect(updated.json["seed"] as? Int == 7)

            #expect(try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"error_status": 418}"#).status == 400)
            #expect(try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"nonsense": 1}"#).status == 400)
            #expect(try await client.control(.post, "/_sandbox/gemini/faults", json: "[]").status == 400)

            let reset = try await client.control(.delete, "/_sandbox/gemini/faults")
            #expect(reset.json["error_rate"] as? Double == 0)
            #expect(reset.json["latency_ms"] as? Int == 5) // back to the start-up (env) faults
        }
    }

    @Test func errorRateIsAShareOfCalls() async throws {
        try await SandboxHarness.withSandbox(["SANDBOX_GEMINI_RPM": "1000"]) { client in
            _ = try await client.control(.post, "/_sandbox/gemini/faults", json: #"{"error_rate": 0.5, "seed": 42}"#)
            var failures = 0
            for _ in 0..<40 {
                if try await client.generate(key: "k").status == 503 { failures += 1 }
            }
            #expect((8...32).contains(failures))
        }
    }
}
