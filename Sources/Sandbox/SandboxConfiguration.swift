import Foundation
import Shared

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

    /// Reads `SANDBOX_*` from `environment`; a malformed value is an error naming the variable.
    /// `recorder` notes every variable asked for (the deployment tests).
    init(environment: [String: String], recorder: SettingsRecorder? = nil) throws(ConfigurationError) {
        let env = EnvironmentReader(environment, recorder: recorder)
        host = env.string("SANDBOX_HOST") ?? host
        port = try env.int("SANDBOX_PORT", in: 0...65535) ?? port
        logLevel = env.string("SANDBOX_LOG_LEVEL") ?? logLevel
        gemini = try GeminiConfiguration(env)
        yookassa = try YooKassaConfiguration(env)
    }
}

/// A setting that cannot be used; the message names the variable.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
}

/// Typed access to environment variables (an empty value counts as unset).
struct EnvironmentReader {
    let values: [String: String]
    let recorder: SettingsRecorder?

    init(_ values: [String: String], recorder: SettingsRecorder? = nil) {
        self.values = values
        self.recorder = recorder
    }

    func string(_ name: String) -> String? {
        recorder?.record(name)
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(description: "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    func double(_ name: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw ConfigurationError(description: "\(name) must be a number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(name)?.lowercased() else { return nil }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(description: "\(name) must be true or false, got '\(text)'")
        }
    }

    /// A comma-separated list without empty items.
    func list(_ name: String) -> [String]? {
        string(name).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}
