import Foundation
import OzhDomain
import OzhSettings
import Testing

/// A ``SettingsRecorder`` notes every variable ``Settings`` asks for, set or not, and nothing
/// it does not ask for.
@Suite("Settings recorder")
struct SettingsRecorderTests {
    @Test func recordsEveryVariableAskedForSetOrNot() throws {
        let recorder = SettingsRecorder()
        let values = [
            "MONGO_URI": "mongodb://127.0.0.1:27017", "REDIS_URL": "redis://127.0.0.1:6379/0",
            "NOT_A_SETTING": "ignored",
        ]
        let settings = try Settings(source: SettingsSource(values: values, recorder: recorder))
        let recorded = recorder.recorded
        #expect(
            recorded.isSuperset(of: [
                "MONGO_URI", "REDIS_URL", "API_KEY", "GEMINI_API_KEYS_STR", "PORT", "METRICS_PORT",
                "YOOKASSA_WEBHOOK_IPS", "RECONCILE_AFTER_MS",
            ]))
        #expect(!recorded.contains("NOT_A_SETTING"))
        #expect(settings.gateway.port == 8000)
        // Without a recorder nothing is shared between sources.
        _ = try Settings(source: SettingsSource(values: values))
        #expect(recorder.recorded == recorded)
    }

    @Test func recordsWhatASourceIsAskedDirectly() {
        let recorder = SettingsRecorder()
        let source = SettingsSource(values: ["A_SETTING": "1"], recorder: recorder)
        #expect(source.string("A_SETTING") == "1")
        #expect(source.list("ANOTHER_ONE").isEmpty)
        #expect(recorder.recorded == ["A_SETTING", "ANOTHER_ONE"])
    }
}
