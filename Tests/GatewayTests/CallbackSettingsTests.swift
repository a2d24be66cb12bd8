import Testing

@testable import OzhDomain
@testable import OzhSettings

/// The callback settings' start-up checks, apart from the end-to-end suite (they need no server).
@Suite("Push callbacks: settings")
struct CallbackSettingsTests {
    @Test func callbackSettingsAreValidatedAtStartUp() throws {
        #expect(throws: SettingsError.self) { try CallbackSettings(source: SettingsSource(values: ["JOB_CALLBACK_SECRET": "not-whsec"])) }
        #expect(throws: SettingsError.self) { try CallbackSettings(source: SettingsSource(values: ["JOB_CALLBACK_SECRET": "whsec_!!!"])) }
        #expect(throws: SettingsError.self) { try CallbackSettings(source: SettingsSource(values: ["JOB_CALLBACK_URL": "http://x.test/"])) }
        #expect(throws: SettingsError.self) {
            try CallbackSettings(
                source: SettingsSource(values: ["JOB_CALLBACK_URL": "gopher://x.test/", "JOB_CALLBACK_SECRET": CallbackReceiver.secret]))
        }
        let settings = try CallbackSettings(
            source: SettingsSource(values: ["JOB_CALLBACK_SECRET": "\(CallbackReceiver.secret), \(CallbackReceiver.nextSecret)"]))
        #expect(settings.secrets.count == 2)
        #expect(!"\(settings.secrets)".contains(CallbackReceiver.secret.dropFirst(6)), "a secret never shows in a description")
    }
}
