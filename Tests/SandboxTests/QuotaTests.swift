import Foundation
import OzhSettings
import Testing

@testable import Sandbox

@Suite("Quotas per project")
struct QuotaTests {
    @Test func perMinuteLimitAnswers429WithRetryInfoAndRolls() async throws {
        // A 2 s window: each call stylises an image, so a shorter one can slide mid-test on a busy machine.
        let env = ["SANDBOX_GEMINI_RPM": "2", "SANDBOX_GEMINI_WINDOW_MS": "2000"]
        try await SandboxHarness.withSandbox(env) { client in
            #expect(try await client.generate(key: "k1").status == 200)
            #expect(try await client.generate(key: "k1").status == 200)
            let limited = try await client.generate(key: "k1")
            #expect(limited.status == 429)
            #expect(limited.errorStatus == "RESOURCE_EXHAUSTED")
            #expect((limited.error["message"] as? String)?.hasPrefix("You exceeded your current quota") == true)
            let failure = try #require(limited.detail("QuotaFailure"))
            let violation = try #require((failure["violations"] as? [[String: Any]])?.first)
            #expect(violation["quotaId"] as? String == "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
            #expect(violation["quotaMetric"] as? String == "generativelanguage.googleapis.com/generate_content_free_tier_requests")
            #expect(violation["quotaValue"] as? String == "2")
            #expect((violation["quotaDimensions"] as? [String: Any])?["model"] as? String == SandboxHarness.model)
            #expect(limited.detail("Help") != nil)
            let delay = try #require(seconds(limited.detail("RetryInfo")?["retryDelay"] as? String))
            #expect(delay > 0 && delay <= 2.0)
            #expect(limited.headers[.retryAfter] == nil)
            #expect(try await client.generate(key: "k1").status == 429)

            try await Task.sleep(for: .milliseconds(Int(delay * 1000) + 30))
            #expect(try await client.generate(key: "k1").status == 200)

            let stats = try await client.stats()
            #expect(stat(stats, "projects", "k1", "calls") == 5)
            #expect(stat(stats, "projects", "k1", "ok") == 3)
            #expect(stat(stats, "projects", "k1", "rate_limited") == 2)
            #expect(stat(stats, "projects", "k1", "over_limit_attempts") == 2)
            #expect(stat(stats, "projects", "k1", "max_calls_in_any_window") == 2)
            #expect(stat(stats, "projects", "k1", "max_attempts_in_any_window") == 4)
            #expect(stat(stats, "keys", "k1", "rate_limited") == 2)
        }
    }

    @Test func perDayLimitUsesTheDayQuotaId() async throws {
        // A 3 s "day": four calls must fall in one day even on a loaded machine (800 ms was
        // crossed now and then when the suite ran beside others, and the fourth call passed).
        let env = ["SANDBOX_GEMINI_RPM": "50", "SANDBOX_GEMINI_RPD": "3", "SANDBOX_GEMINI_DAY_MS": "3000"]
        try await SandboxHarness.withSandbox(env) { client in
            for _ in 0..<3 { #expect(try await client.generate(key: "k").status == 200) }
            let limited = try await client.generate(key: "k")
            #expect(limited.status == 429)
            let violation = (limited.detail("QuotaFailure")?["violations"] as? [[String: Any]])?.first
            #expect(violation?["quotaId"] as? String == "GenerateRequestsPerDayPerProjectPerModel-FreeTier")
            #expect(violation?["quotaValue"] as? String == "3")
            let delay = try #require(seconds(limited.detail("RetryInfo")?["retryDelay"] as? String))
            #expect(delay > 0 && delay <= 3.0)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000) + 30))
            #expect(try await client.generate(key: "k").status == 200)
        }
    }

    @Test func keysOfOneProjectShareTheBudget() async throws {
        let env = ["SANDBOX_GEMINI_KEYS": "alpha:a-key-1,alpha:a-key-2,beta:b-key-1", "SANDBOX_GEMINI_RPM": "2"]
        try await SandboxHarness.withSandbox(env) { client in
            #expect(try await client.generate(key: "a-key-1").status == 200)
            #expect(try await client.generate(key: "a-key-2").status == 200)
            #expect(try await client.generate(key: "a-key-1").status == 429)
            #expect(try await client.generate(key: "a-key-2").status == 429)
            #expect(try await client.generate(key: "b-key-1").status == 200)
            #expect(try await client.generate(key: "b-key-1").status == 200)

            let stats = try await client.stats()
            #expect(stats["total_calls"] as? Int == 6)
            #expect(stat(stats, "projects", "alpha", "calls") == 4)
            #expect(stat(stats, "projects", "alpha", "rate_limited") == 2)
            #expect(stat(stats, "projects", "alpha", "over_limit_attempts") == 2)
            #expect(stat(stats, "projects", "alpha", "max_calls_in_any_window") == 2)
            #expect(stat(stats, "projects", "beta", "ok") == 2)
            #expect(stat(stats, "projects", "beta", "rate_limited") == 0)
            let alpha = (stats["projects"] as? [String: Any])?["alpha"] as? [String: Any]
            #expect(alpha?["keys"] as? [String] == ["a-key-1", "a-key-2"])
            #expect(stat(stats, "keys", "a-key-1", "calls") == 2)
            #expect(stat(stats, "keys", "a-key-1", "ok") == 1)
            #expect(stat(stats, "keys", "a-key-2", "rate_limited") == 1)

            #expect(try await client.control(.post, "/_sandbox/reset").status == 200)
            #expect(try await client.generate(key: "a-key-1").status == 200)
            let after = try await client.stats()
            #expect(after["total_calls"] as? Int == 1)
        }
    }

    @Test func quotaBookkeepingWithSyntheticTime() {
        var quota = GeminiQuota(perMinute: 2, perDay: 3, window: 60, dayLength: nil, now: 0)
        // 07:59:58 UTC = 23:59:58 PST on 2024-01-15, two seconds before the Pacific midnight.
        let beforeMidnight = 1_705_305_598.0
        #expect(quota.admit("p", now: beforeMidnight) == nil)
        #expect(quota.admit("p", now: beforeMidnight + 1) == nil)
        let minute = quota.admit("p", now: beforeMidnight + 1.5)
        #expect(minute?.kind == .minute)
        #expect(minute?.retryAfter == 58.5)
        #expect(quota.admit("p", now: beforeMidnight + 60.5) == nil) // next Pacific day, window rolled
        #expect(quota.admit("p", now: beforeMidnight + 200) == nil)
        #expect(quota.admit("p", now: beforeMidnight + 300) == nil)
        let day = quota.admit("p", now: beforeMidnight + 400)
        #expect(day?.kind == .day)
        #expect(day?.retryAfter == Double(86_400 - 398))
        #expect(quota.usage["p"]?.maxAcceptedInWindow == 2)
        #expect(PacificDay.bounds(containing: beforeMidnight).end == beforeMidnight + 2)
    }

    @Test func retryDelayFormatting() {
        #expect(GeminiError.retryDelay(46.2) == "47s")
        #expect(GeminiError.retryDelay(0.25) == "0.250s")
        #expect(GeminiError.retryDelay(0.0004) == "0.001s")
        #expect(GeminiError.retryDelay(0.9999) == "1s")
    }

    @Test func keyListParsing() throws {
        let keys = try GeminiConfiguration.parseKeys(["p1:k1", "p1:k2", "solo"])
        #expect(keys == ["k1": "p1", "k2": "p1", "solo": "solo"])
        #expect(throws: SettingsError.self) { try GeminiConfiguration.parseKeys(["p1:k", "p2:k"]) }
        #expect(throws: SettingsError.self) { try SandboxConfiguration(environment: ["SANDBOX_GEMINI_RPM": "ten"]) }
    }
}
