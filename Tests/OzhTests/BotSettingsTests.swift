import Testing

@testable import OzhDomain
@testable import OzhSettings

/// `GENERATE_SYNC_WAIT_S` and `ETA_IMAGE_SECONDS` (``BotSettings``).
@Suite("Bot settings")
struct BotSettingsTests {
    static let minimal = ["MONGO_URI": "mongodb://127.0.0.1:27017", "REDIS_URL": "redis://127.0.0.1:6379/0"]

    @Test func defaultsAreOffAndTwentySeconds() throws {
        let bot = try Settings(source: SettingsSource(values: Self.minimal)).bot
        #expect(bot.generateSyncWaitS == 0 && bot.etaImageSeconds == 20)
        let set = try Settings(source: SettingsSource(values: Self.minimal.merging(["GENERATE_SYNC_WAIT_S": "25", "ETA_IMAGE_SECONDS": "8"]) { $1 }))
        #expect(set.bot == BotSettings(generateSyncWaitS: 25, etaImageSeconds: 8))
    }

    @Test func aWaitOverTheLongPollCapOrABadValueStopsStartUp() {
        for (variable, value) in [
            ("GENERATE_SYNC_WAIT_S", "61"), ("GENERATE_SYNC_WAIT_S", "-1"), ("GENERATE_SYNC_WAIT_S", "soon"),
            ("ETA_IMAGE_SECONDS", "0"),
        ] {
            #expect(throws: SettingsError.self, "\(variable)=\(value)") {
                _ = try Settings(source: SettingsSource(values: Self.minimal.merging([variable: value]) { $1 }))
            }
        }
    }
}
