import Foundation
import OzhSettings

/// Everything the sandbox reads from its environment at start (`SANDBOX_*` variables).
struct SandboxConfiguration: Sendable {
    /// `SANDBOX_HOST`, default 127.0.0.1.
    var host = "127.0.0.1"
    /// `SANDBOX_PORT`, default 8090 (0 picks a free port, for tests).
    var port = 8090
    /// `SANDBOX_LOG_LEVEL`, default info.
    var logLevel = "info"
    /// The Gemini emulator's settings.
    var gemini = GeminiConfiguration()
    /// The YooKassa emulator's settings.
    var yookassa = YooKassaConfiguration()

    init() {}

    /// Reads `SANDBOX_*` from `source`, the one settings reader every process uses; a
    /// malformed value is a ``SettingsError`` naming the variable.
    init(source env: SettingsSource) throws(SettingsError) {
        host = env.string("SANDBOX_HOST") ?? host
        port = try env.int("SANDBOX_PORT", in: 0...65535) ?? port
        logLevel = env.string("SANDBOX_LOG_LEVEL") ?? logLevel
        gemini = try GeminiConfiguration(env)
        yookassa = try YooKassaConfiguration(env)
    }

    /// Reads `SANDBOX_*` from fixed values (tests); `recorder` notes every variable asked for
    /// (the deployment tests).
    init(environment: [String: String], recorder: SettingsRecorder? = nil) throws(SettingsError) {
        try self.init(source: SettingsSource(values: environment, recorder: recorder))
    }
}
