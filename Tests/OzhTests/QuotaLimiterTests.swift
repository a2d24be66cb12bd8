import Foundation
import TestSupport
import Testing

@testable import OzhDomain
@testable import OzhRedis

/// A limiter on the shared test Redis with a fresh prefix.
func makeTestLimiter(_ entries: [String], _ limits: QuotaLimits) throws -> (QuotaLimiter, RedisClient, String) {
    let (redis, prefix) = try TestServers.redis()
    return (try QuotaLimiter(redis: redis, keyring: try GeminiKeyring(entries: entries), limits: limits, prefix: prefix), redis, prefix)
}

/// Sleeps until `date` (plus a little), on this machine's clock.
func sleep(until date: Date, plus extra: Double = 0.03) async throws {
    let seconds = max(0, date.timeIntervalSinceNow + extra)
    try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
}

@Suite("Gemini quota limiter", .serialized, .needsRedis)
struct QuotaLimiterTests {
    @Test func rpmIsEnforcedAndTheWindowSlides() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["proj:AIzaOnlyKey0001"], QuotaLimits(rpm: 3, rpd: 100, windowLength: .milliseconds(400), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let start = Date()
        var firstGranted = start
        for index in 0..<3 {
            let grant = try await limiter.acquire(model: "m")
            if index == 0 { firstGranted = Date() }
            #expect(grant.project == "proj" && grant.key?.label == "…0001")
        }
        let grant = try await limiter.acquire(model: "m")
        guard case .wait(let until, let reason) = grant else { Issue.record("expected a wait, got \(grant)"); return }
        #expect(reason == .minute)
        // The slot frees one window (0.4 s) after the first grant was recorded, somewhere
        // between the call and its answer.
        let after = until.timeIntervalSince(start)
        #expect(after > 0.35 && until.timeIntervalSince(firstGranted) < 0.45, "until \(after) s after the first call")
        #expect(try await limiter.nextAvailability() != nil)
        let status = try #require(try await limiter.status().first)
        #expect(status.callsInWindow == 3 && status.callsToday == 3 && status.headroom == 0 && status.rpm == 3)
        try await sleep(until: until, plus: 0.2)
        #expect(try await limiter.nextAvailability() == nil)
        #expect(try await limiter.acquire(model: "m").project == "proj")
        #expect(try await limiter.status().first?.callsToday == 4)
        #expect(try await redis.send("ZCARD", p + "quota:gemini:proj:minute").int == 1) // expired entries pruned
    }

    @Test func rpdIsEnforcedUntilTheReset() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["proj:AIzaOnlyKey0002"],
            QuotaLimits(rpm: 10, rpd: 2, windowLength: .milliseconds(100), dayLength: .milliseconds(1200), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        // Start right after a period boundary so the period does not end between the grants.
        let first = try await limiter.acquire(model: "m")
        #expect(first.project == "proj")
        if case .granted(_, _, let id) = first, let period = Int64(id.split(separator: ".")[0]) {
            let boundary = Date(timeIntervalSince1970: Double((period + 1) * 1200) / 1000)
            if boundary.timeIntervalSinceNow < 0.5 { try await sleep(until: boundary) }
        }
        var granted = 0
        var wait: (Date, QuotaWaitReason)?
        for _ in 0..<4 {
            switch try await limiter.acquire(model: "m") {
            case .granted: granted += 1
            case .wait(let until, let reason): wait = (until, reason)
            }
        }
        #expect(granted <= 2 && granted >= 1)
        let (until, reason) = try #require(wait)
        #expect(reason == .day && until.timeIntervalSinceNow > 0 && until.timeIntervalSinceNow <= 1.25)
        let ttl = try await redis.send("PTTL", try #require(try await redis.send("KEYS", p + "quota:gemini:proj:day:*").array?.last?.string)).int ?? 0
        #expect(ttl > 0 && ttl <= 2500)
        try await sleep(until: until)
        #expect(try await limiter.acquire(model: "m").project == "proj")
    }

    @Test func realDaysEndAtMidnightLosAngeles() async throws {
        let (limiter, redis, p) = try makeTestLimiter(["proj:AIzaOnlyKey0003"], QuotaLimits(rpm: 10, rpd: 1, safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        #expect(try await limiter.acquire(model: "m").project == "proj")
        let grant = try await limiter.acquire(model: "m")
        guard case .wait(let until, .day) = grant else { Issue.record("expected a daily wait, got \(grant)"); return }
        let reset = QuotaDay.nextReset(after: Date())
        #expect(abs(until.timeIntervalSince(reset)) < 2)
        let key = p + "quota:gemini:proj:day:" + QuotaDay.label(of: Date())
        #expect(try await redis.send("GET", key).int == 1)
        let expireAt = try await redis.send("PEXPIRETIME", key).int ?? 0
        #expect(abs(Double(expireAt) / 1000 - reset.timeIntervalSince1970 - 3600) < 2)
        let status = try #require(try await limiter.status().first)
        #expect(abs(status.dayResetsAt.timeIntervalSince(reset)) < 2 && status.headroom == 0)
        if case .wait(_, let reason) = try await limiter.availability() { #expect(reason == .day) } else { Issue.record("expected a wait") }
    }

    @Test func keysOfOneProjectShareItsBudget() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["proj:AIzaKeyAAAA", "proj:AIzaKeyBBBB"], QuotaLimits(rpm: 4, rpd: 100, windowLength: .seconds(5), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        var labels: [String] = []
        for _ in 0..<4 { labels.append(try #require(try await limiter.acquire(model: "m").key?.label)) }
        #expect(labels.sorted() == ["…AAAA", "…AAAA", "…BBBB", "…BBBB"]) // keys rotate
        if case .granted = try await limiter.acquire(model: "m") { Issue.record("a fifth grant in one project of rpm 4") }
    }

    @Test func twoProjectsGiveTwiceTheBudgetMostHeadroomFirst() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["a:AIzaKeyA001", "b:AIzaKeyB001"], QuotaLimits(rpm: 3, rpd: 100, windowLength: .seconds(5), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        var projects: [String] = []
        for _ in 0..<6 { projects.append(try #require(try await limiter.acquire(model: "m").project)) }
        for pair in stride(from: 0, to: 6, by: 2) { #expect(Set(projects[pair...pair + 1]) == ["a", "b"]) }
        guard case .wait(_, .minute) = try await limiter.acquire(model: "m") else { Issue.record("expected a wait"); return }
        #expect(try await limiter.status().map(\.callsInWindow) == [3, 3])
    }

    @Test func concurrentCallersNeverExceedAnyProject() async throws {
        let entries = ["p1:AIzaRace0001", "p1:AIzaRace0002", "p2:AIzaRace0003", "p3:AIzaRace0004"]
        let (limiter, redis, p) = try makeTestLimiter(entries, QuotaLimits(rpm: 5, rpd: 1000, windowLength: .seconds(10), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let projects = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine: [String] = []
                    for _ in 0..<20 { if let project = try await limiter.acquire(model: "m").project { mine.append(project) } }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(projects.count == 15)
        let perProject = Dictionary(grouping: projects, by: { $0 }).mapValues(\.count)
        #expect(perProject == ["p1": 5, "p2": 5, "p3": 5])
        #expect(try await limiter.status().map(\.callsToday) == [5, 5, 5])
    }

    @Test func a429CoolsTheProjectDown() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["a:AIzaCoolA001", "b:AIzaCoolB001"], QuotaLimits(rpm: 10, rpd: 100, windowLength: .seconds(5), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        var grant = try await limiter.acquire(model: "m")
        if grant.project == "b" { grant = try await limiter.acquire(model: "m") }
        #expect(grant.project == "a")
        let minute = try await limiter.reportRateLimited(
            grant: grant, quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retryDelay: .milliseconds(500))
        #expect(minute.scope == .minute && minute.project == "a" && minute.keyLabel == "…A001")
        #expect(minute.until.timeIntervalSinceNow > 0.3 && minute.until.timeIntervalSinceNow <= 0.55)
        var bGrant = grant
        for _ in 0..<3 {
            bGrant = try await limiter.acquire(model: "m")
            #expect(bGrant.project == "b")
        }
        let status = try await limiter.status()
        #expect(status[0].coolingDownUntil != nil && status[0].coolDownReason?.contains("PerMinute") == true && status[1].coolingDownUntil == nil)
        #expect(status[0].coolDownReason?.contains("AIzaCoolA001") == false)
        try await sleep(until: minute.until)
        #expect(try await limiter.status()[0].coolingDownUntil == nil)
        // Both usable again: a has more headroom now.
        #expect(try await limiter.acquire(model: "m").project == "a")

        let day = try await limiter.reportRateLimited(
            grant: bGrant, quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier", retryDelay: .seconds(47))
        #expect(day.scope == .day && abs(day.until.timeIntervalSince(QuotaDay.nextReset(after: Date()))) < 2)
        // A shorter per-minute cool-down does not cut the daily one short.
        let again = try await limiter.reportRateLimited(
            grant: bGrant, quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retryDelay: nil)
        #expect(abs(again.until.timeIntervalSince(day.until)) < 1)
        for _ in 0..<3 { #expect(try await limiter.acquire(model: "m").project == "a") }
        // Both cooling: wait for the earlier end.
        _ = try await limiter.reportRateLimited(
            grant: grant, quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retryDelay: .seconds(2))
        guard case .wait(let until, .cooldown) = try await limiter.acquire(model: "m") else { Issue.record("expected a cool-down wait"); return }
        #expect(until.timeIntervalSinceNow > 1.5 && until.timeIntervalSinceNow <= 2.05)
    }

    @Test func disabledKeysAreSkipped() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["proj:AIzaDisA0001", "proj:AIzaDisB0002", "AIzaDisC0003"], QuotaLimits(rpm: 50, rpd: 100, windowLength: .seconds(5), safetyMargin: .zero)
        )
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let keys = limiter.keyring.keys
        try await limiter.disable(key: keys[0], reason: "API_KEY_INVALID")
        try await limiter.disable(key: keys[2], reason: "PERMISSION_DENIED")
        for _ in 0..<6 { #expect(try await limiter.acquire(model: "m").key == keys[1]) }
        let disabled = try await limiter.disabledKeys()
        #expect(Set(disabled.map(\.label)) == ["…0001", "…0003"] && Set(disabled.map(\.reason)) == ["API_KEY_INVALID", "PERMISSION_DENIED"])
        #expect(disabled.allSatisfy { abs($0.since.timeIntervalSinceNow) < 5 && $0.keyID.hasPrefix("k-") })
        let status = try await limiter.status()
        #expect(status[0].disabledKeyLabels == ["…0001"] && status[1].disabledKeyLabels == ["…0003"] && !status[1].isUsable)

        try await limiter.disable(key: keys[1], reason: "PERMISSION_DENIED")
        let grant = try await limiter.acquire(model: "m")
        guard case .wait(let until, .allDisabled) = grant else { Issue.record("expected allDisabled, got \(grant)"); return }
        #expect(until.timeIntervalSinceNow > 60)
        try await limiter.enable(key: keys[0])
        #expect(try await limiter.acquire(model: "m").key == keys[0])

        // No secret anywhere in Redis: not in key names, not in values.
        let names = try await redis.send("KEYS", p + "*").array?.compactMap(\.string) ?? []
        #expect(!names.isEmpty)
        let values = try await redis.send("HGETALL", p + "quota:gemini:disabled").pairs
        for key in keys {
            #expect(!names.contains { $0.contains(key.secret) })
            #expect(!values.values.contains { $0.contains(key.secret) })
        }
        await #expect(throws: QuotaError.unknownKey(label: "…9999")) {
            try await limiter.disable(key: GeminiKey(secret: "AIzaOther9999", project: "proj"), reason: "x")
        }
    }

    @Test func releaseGivesTheSlotBack() async throws {
        let (limiter, redis, p) = try makeTestLimiter(
            ["proj:AIzaRelease01"], QuotaLimits(rpm: 2, rpd: 10, windowLength: .seconds(5), safetyMargin: .zero))
        defer { Task { await deleteKeys(redis, prefix: p) } }
        let grant = try await limiter.acquire(model: "m")
        _ = try await limiter.acquire(model: "m")
        guard case .wait = try await limiter.acquire(model: "m") else { Issue.record("expected a wait"); return }
        #expect(try await limiter.release(grant: grant))
        #expect(try await limiter.release(grant: grant) == false)
        #expect(try await limiter.status().first?.callsToday == 1)
        #expect(try await limiter.acquire(model: "m").project == "proj")
        // A grant of several requests at once.
        let (wide, wideRedis, wp) = try makeTestLimiter(
            ["proj:AIzaRelease02"], QuotaLimits(rpm: 5, rpd: 10, ipm: 4, windowLength: .seconds(5), safetyMargin: .zero))
        defer { Task { await deleteKeys(wideRedis, prefix: wp) } }
        let three = try await wide.acquire(model: "m", cost: 3)
        #expect(try await wide.status().first?.callsInWindow == 3)
        guard case .wait(_, .minute) = try await wide.acquire(model: "m", cost: 3) else { Issue.record("rpm 5 granted 6"); return }
        guard case .wait(_, .minute) = try await wide.acquire(model: "m", cost: 1, images: 2) else { Issue.record("ipm 4 granted 5 images"); return }
        #expect(try await wide.release(grant: three))
        let after = try #require(try await wide.status().first)
        #expect(after.callsInWindow == 0 && after.callsToday == 0 && after.imagesInWindow == 0)
        await #expect(throws: QuotaError.self) { try await wide.acquire(model: "m", cost: 6) }
    }
}
