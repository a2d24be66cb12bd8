import Foundation
import OzhDomain
import OzhSettings
import Testing

/// ``Settings`` is only the sum of its components: each configuration type reads its own
/// variables and no other's, and refuses a malformed one on its own, as ``Settings`` does.
@Suite("Settings components")
struct SettingsComponentsTests {
    typealias Reader = @Sendable (SettingsSource) throws(SettingsError) -> Void

    /// Every component of ``Settings``, by name, read through `source`.
    static let components: [(name: String, read: Reader)] = [
        ("MongoSettings", { source throws(SettingsError) in _ = try MongoSettings(source: source) }),
        ("RedisSettings", { source throws(SettingsError) in _ = try RedisSettings(source: source) }),
        ("LogSettings", { source throws(SettingsError) in _ = try LogSettings(source: source) }),
        ("GatewaySettings", { source throws(SettingsError) in _ = try GatewaySettings(source: source) }),
        ("UserSettings", { source throws(SettingsError) in _ = try UserSettings(source: source) }),
        ("GeminiSettings", { source throws(SettingsError) in _ = try GeminiSettings(source: source) }),
        ("GenerationSettings", { source throws(SettingsError) in _ = try GenerationSettings(source: source) }),
        ("SweepSettings", { source throws(SettingsError) in _ = try SweepSettings(source: source) }),
        ("YooKassaSettings", { source throws(SettingsError) in _ = try YooKassaSettings(source: source) }),
        ("PaymentSettings", { source throws(SettingsError) in _ = try PaymentSettings(source: source) }),
        ("ReconcileSettings", { source throws(SettingsError) in _ = try ReconcileSettings(source: source) }),
        ("WorkerSettings", { source throws(SettingsError) in _ = try WorkerSettings(source: source) }),
        ("MetricsSettings", { source throws(SettingsError) in _ = try MetricsSettings(source: source) }),
        ("EdgeSettings", { source throws(SettingsError) in _ = try EdgeSettings(source: source) }),
        ("CallbackSettings", { source throws(SettingsError) in _ = try CallbackSettings(source: source) }),
        ("BotSettings", { source throws(SettingsError) in _ = try BotSettings(source: source) }),
    ]

    /// Set so that the variables read only when another is set are read too.
    static let values = SettingsTests.minimal.merging(["GEMINI_IPM": "10", "PACKS": #"[{"name":"a","ozhivashki":1,"price_kopecks":100}]"#]) { $1 }

    @Test func eachComponentReadsItsOwnVariablesAndTogetherTheyAreAllSettingsReads() throws {
        var owner: [String: String] = [:]
        for (name, read) in Self.components {
            let recorder = SettingsRecorder()
            try read(SettingsSource(values: Self.values, recorder: recorder))
            #expect(!recorder.recorded.isEmpty, "\(name) reads nothing")
            for variable in recorder.recorded {
                #expect(owner[variable] == nil, "\(variable) is read by both \(owner[variable] ?? "") and \(name)")
                owner[variable] = name
            }
        }
        let recorder = SettingsRecorder()
        _ = try Settings(source: SettingsSource(values: Self.values, recorder: recorder))
        #expect(recorder.recorded == Set(owner.keys), "read by Settings and by no component: \(recorder.recorded.subtracting(owner.keys))")
    }

    @Test(arguments: [
        ("MONGO_URI", "http://127.0.0.1:27017"), ("LOG_LEVEL", "loud"), ("TRUSTED_PROXIES", "not-a-network"),
        ("BONUS_TIME_ZONE", "Mars/Olympus"), ("GEMINI_RPM", "0"), ("MAIN_IMAGES", "11"), ("AUDIT_INTERVAL_S", "-1"),
        ("YOOKASSA_BASE_URL", "ftp://x"), ("PACKS", "[]"), ("RECONCILE_BACKOFF_MS", "10,x"), ("WORKER_DEAD_AFTER_MS", "150"),
        ("METRICS_PORT", "70000"),
    ])
    func aComponentRefusesItsMalformedVariableAsSettingsDoes(variable: String, value: String) throws {
        let values = Self.values.merging([variable: value]) { $1 }
        let owners = try Self.components.filter { component in
            let recorder = SettingsRecorder()
            try component.read(SettingsSource(values: Self.values, recorder: recorder))
            return recorder.recorded.contains(variable)
        }
        let component = try #require(owners.first, "no component reads \(variable)")
        var alone: SettingsError?
        do { try component.read(SettingsSource(values: values)) } catch { alone = error }
        var whole: SettingsError?
        do { _ = try Settings(source: SettingsSource(values: values)) } catch { whole = error }
        #expect(alone != nil, "\(component.name) accepted \(variable)=\(value)")
        #expect(alone?.message == whole?.message, "\(component.name): \(alone?.message ?? "-"); Settings: \(whole?.message ?? "-")")
        #expect(alone?.message.contains(variable) == true)
    }

    /// `MONGO_DB_NAME`: 1-63 ASCII letters, digits, `_` or `-`, nothing else (no dot, no slash,
    /// no letters outside ASCII; an empty value means the default).
    @Test func theDatabaseNameIsOneToSixtyThreeLettersDigitsUnderscoresOrDashes() throws {
        let minimal = SettingsTests.minimal
        for good in ["a", "ozhivlyator_db", "Gw-01_x", String(repeating: "z", count: 63)] {
            #expect(try MongoSettings(source: SettingsSource(values: minimal.merging(["MONGO_DB_NAME": good]) { $1 })).database == good)
        }
        for bad in ["db name", "db.x", "dé", "db/x", "$db", String(repeating: "z", count: 64)] {
            #expect(throws: SettingsError.self, "\(bad.debugDescription) was accepted") {
                try MongoSettings(source: SettingsSource(values: minimal.merging(["MONGO_DB_NAME": bad]) { $1 }))
            }
        }
    }
}
