import Foundation
import Testing

@testable import OzhDomain
@testable import OzhSettings

@Suite("Settings")
struct SettingsTests {
    static let minimal = ["MONGO_URI": "mongodb://127.0.0.1:27017", "REDIS_URL": "redis://127.0.0.1:6379/0"]

    @Test func defaultsAndSeedNames() throws {
        let settings = try Settings(
            source: SettingsSource(
                values: Self.minimal.merging([
                    "API_KEY": "key-one-0123456789, key-two-0123456789", "GEMINI_API_KEYS_STR": "a,b,,c",
                    "TELEGRAM_BOT_USERNAME": "OzhBot", "LOGGING_ENABLED": "False",
                ]) { $1 }))
        #expect(settings.mongo.database == "ozhivlyator_db")
        #expect(settings.gateway.port == 8000)
        #expect(settings.gateway.host == "0.0.0.0")
        #expect(settings.gateway.apiKeys == ["key-one-0123456789", "key-two-0123456789"])
        #expect(settings.gemini.keys == ["a", "b", "c"])
        #expect(settings.payments.telegramBotUsername == "OzhBot")
        #expect(settings.logging.enabled == false)
        #expect(settings.redis.prefix == "ozh:")
        #expect(settings.users.bonusTimeZone.identifier == "Europe/Moscow")
        #expect(settings.sweeps.refundIntervalMS == 60_000 && settings.sweeps.refundAfterMS == 900_000)
        #expect(settings.sweeps.auditIntervalS == 300)
        try settings.gateway.requireAPIKeys()
    }

    @Test func problemsNameTheVariable() throws {
        #expect(throws: SettingsError.missing(variable: "MONGO_URI")) {
            try Settings(source: SettingsSource(values: ["REDIS_URL": "redis://localhost"]))
        }
        let cases: [(String, String)] = [
            ("PORT", "eighty"), ("PORT", "70000"), ("MONGO_URI", "postgres://x"), ("REDIS_URL", "http://x"),
            ("LOGGING_ENABLED", "maybe"), ("BONUS_TIME_ZONE", "Mars/Olympus"), ("LOG_LEVEL", "loud"),
            ("REFUND_SWEEP_AFTER_MS", "soon"), ("REFUND_SWEEP_INTERVAL_MS", "0"),
            ("AUDIT_INTERVAL_S", "-1"),
        ]
        for (variable, value) in cases {
            do {
                _ = try Settings(source: SettingsSource(values: Self.minimal.merging([variable: value]) { $1 }))
                Issue.record("\(variable)=\(value) was accepted")
            } catch {
                #expect(error.message.hasPrefix(variable), "\(error.message)")
            }
        }
        let noKey = try Settings(source: SettingsSource(values: Self.minimal))
        #expect(throws: SettingsError.missing(variable: "API_KEY")) { try noKey.gateway.requireAPIKeys() }
        let shortKey = try Settings(source: SettingsSource(values: Self.minimal.merging(["API_KEY": "short"]) { $1 }))
        #expect(throws: SettingsError.self) { try shortKey.gateway.requireAPIKeys() }
    }

    @Test func environmentWinsOverDotEnv() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ozh-\(UUID().uuidString).env")
        try """
        # comment
        MONGO_URI="mongodb://from-file:27017"
        REDIS_URL=redis://from-file:6379/1
        MONGO_DB_NAME=file_db
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let source = try await SettingsSource.load(environment: ["OZH_ENV_FILE": file.path, "MONGO_DB_NAME": "env_db"])
        let settings = try Settings(source: source)
        #expect(settings.mongo.uri == "mongodb://from-file:27017")
        #expect(settings.redis.url == "redis://from-file:6379/1")
        #expect(settings.mongo.database == "env_db")
    }
}
