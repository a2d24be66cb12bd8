import Foundation
import Testing

@testable import OzhDomain
@testable import OzhRedis

@Suite("Gemini keyring and quota days")
struct QuotaKeyringTests {
    @Test func parsesProjectsBareKeysAndDropsEmptyEntries() throws {
        let ring = try GeminiKeyring(
            string: " proj-a:AIzaSecretOne1111 , ,proj-a:AIzaSecretTwo2222,AIzaBareKey3333,proj-b:AIzaSecretFour4444,, proj-a:AIzaSecretOne1111")
        #expect(ring.keys.count == 4)
        #expect(ring.projects == ["proj-a", GeminiKey.defaultProject(for: "AIzaBareKey3333"), "proj-b"])
        #expect(ring.keys(of: "proj-a").map(\.label) == ["…1111", "…2222"])
        let bare = try #require(ring.keys.first { $0.secret == "AIzaBareKey3333" })
        #expect(bare.project.hasPrefix("key-") && bare.project.count == 12 && !bare.project.contains("3333"))
        #expect(bare.project == GeminiKey.defaultProject(for: "AIzaBareKey3333")) // stable
        for key in ring.keys {
            #expect(key.label.count == 5 && key.secret.hasSuffix(key.label.dropFirst()))
            #expect(!"\(key)".contains(key.secret) && !String(reflecting: key).contains(key.secret))
            var dumped = ""
            dump(key, to: &dumped)
            #expect(!dumped.contains(key.secret) && !key.id.contains(key.secret) && key.id.hasPrefix("k-"))
        }
        #expect(Set(ring.keys.map(\.id)).count == 4)
    }

    @Test func rejectsBadEntries() {
        #expect(throws: QuotaError.invalidProjectName("bad project")) { try GeminiKeyring(entries: ["bad project:AIzaX"]) }
        #expect(throws: QuotaError.self) { try GeminiKeyring(entries: ["proj:"]) }
        #expect(throws: QuotaError.duplicateKey(label: "…5555")) { try GeminiKeyring(entries: ["a:AIza5555", "b:AIza5555"]) }
        let empty = try? GeminiKeyring(string: " , ,")
        #expect(empty?.isEmpty == true)
        let error = QuotaError.noKeysConfigured
        #expect(error.code == "quota_no_keys")
        do {
            let redis = try RedisClient(url: "redis://127.0.0.1:1/0")
            _ = try QuotaLimiter(redis: redis, keyring: try GeminiKeyring(entries: []))
            Issue.record("a limiter without keys was created")
        } catch let error as QuotaError {
            #expect(error.code == "quota_no_keys")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func dailyResetIsMidnightInLosAngelesAcrossDST() throws {
        func utc(_ text: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: text)) }
        // July: PDT (UTC-7).
        #expect(QuotaDay.nextReset(after: try utc("2025-07-15T10:00:00Z")) == (try utc("2025-07-16T07:00:00Z")))
        #expect(QuotaDay.label(of: try utc("2025-07-16T06:59:59Z")) == "2025-07-15")
        #expect(QuotaDay.label(of: try utc("2025-07-16T07:00:00Z")) == "2025-07-16")
        // December: PST (UTC-8).
        #expect(QuotaDay.nextReset(after: try utc("2025-12-15T10:00:00Z")) == (try utc("2025-12-16T08:00:00Z")))
        #expect(QuotaDay.nextReset(after: try utc("2025-12-16T07:59:59Z")) == (try utc("2025-12-16T08:00:00Z")))
        #expect(QuotaDay.start(of: try utc("2025-12-15T10:00:00Z")) == (try utc("2025-12-15T08:00:00Z")))
        // The days the clocks change last 23 and 25 hours.
        let spring = QuotaDay.start(of: try utc("2025-03-09T12:00:00Z"))
        #expect(QuotaDay.nextReset(after: spring).timeIntervalSince(spring) == 23 * 3600)
        let fall = QuotaDay.start(of: try utc("2025-11-02T12:00:00Z"))
        #expect(QuotaDay.nextReset(after: fall).timeIntervalSince(fall) == 25 * 3600)
        // The scripts' day table: yesterday, today, tomorrow.
        let table = QuotaDay.table(around: try utc("2025-11-02T12:00:00Z"))
        #expect(table.labels == ["2025-11-01", "2025-11-02", "2025-11-03"])
        #expect(table.bounds[1] == Int64(fall.timeIntervalSince1970 * 1000) && table.bounds[2] - table.bounds[1] == 25 * 3_600_000)
    }
}
