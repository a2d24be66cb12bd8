import Foundation
import TestSupport
import Testing

@testable import OzhDomain

@Suite("Quota safety margin", .needsRedis)
struct QuotaMarginTests {
    @Test func aCallKeepsCountingForTheMarginAfterItsWindow() async throws {
        let limits = QuotaLimits(rpm: 1, rpd: 100, windowLength: .milliseconds(200), safetyMargin: .milliseconds(600))
        let (limiter, _, _) = try makeTestLimiter(["m:AIzaMarginKey01"], limits)
        guard case .granted = try await limiter.acquire(model: "m") else { Issue.record("first call not granted"); return }
        try await Task.sleep(for: .milliseconds(300))
        // The 200 ms window has passed, but not the margin: still no slot.
        guard case .wait(let until, .minute) = try await limiter.acquire(model: "m") else {
            Issue.record("granted inside the safety margin"); return
        }
        #expect(until.timeIntervalSinceNow > 0.2, "the slot frees only after window + margin")
        try await sleep(until: until, plus: 0.05)
        guard case .granted = try await limiter.acquire(model: "m") else { Issue.record("not granted after the margin"); return }
    }
}
