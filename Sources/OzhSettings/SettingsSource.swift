import Configuration
import Foundation
import SystemPackage

/// Raw setting values by their environment-variable names: the process environment first,
/// then a `.env` file (default `./.env`, or the file named by `OZH_ENV_FILE`).
public struct SettingsSource: Sendable {
    private let reader: ConfigReader
    private let recorder: SettingsRecorder?

    /// Reads the process environment and the `.env` file (a missing file is fine).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> SettingsSource {
        let path = environment["OZH_ENV_FILE"] ?? ".env"
        let fromFile = try await EnvironmentVariablesProvider(environmentFilePath: FilePath(path), allowMissing: true)
        return SettingsSource(
            reader: ConfigReader(providers: [
                EnvironmentVariablesProvider(environmentVariables: environment), fromFile,
            ]))
    }

    /// A source over fixed values only (tests); `recorder` notes every variable asked for.
    public init(values: [String: String], recorder: SettingsRecorder? = nil) {
        reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: values))
        self.recorder = recorder
    }

    private init(reader: ConfigReader) {
        self.reader = reader
        recorder = nil
    }

    /// The trimmed value of `variable`, or nil when unset or empty.
    public func string(_ variable: String) -> String? {
        recorder?.record(variable)
        let key = variable.lowercased().split(separator: "_").joined(separator: ".")
        guard var value = reader.string(forKey: ConfigKey(key))?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        // `.env` files often quote values (the seed's does): KEY="value" or KEY='value'.
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value.isEmpty ? nil : value
    }

    /// The value of a required `variable`.
    public func required(_ variable: String) throws(SettingsError) -> String {
        guard let value = string(variable) else { throw .missing(variable: variable) }
        return value
    }

    /// An integer within `range`, or `defaultValue` when unset.
    public func int(_ variable: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(SettingsError) -> Int {
        try int(variable, in: range) ?? defaultValue
    }

    /// An integer within `range`, or nil when unset.
    public func int(_ variable: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int? {
        guard let text = string(variable) else { return nil }
        guard let value = Int(text) else { throw .invalid(variable: variable, reason: "expected a whole number") }
        guard range.contains(value) else {
            throw .invalid(variable: variable, reason: "expected \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    /// A number within `range`, or nil when unset.
    public func double(_ variable: String, in range: ClosedRange<Double>) throws(SettingsError) -> Double? {
        guard let text = string(variable) else { return nil }
        guard let value = Double(text), value.isFinite else { throw .invalid(variable: variable, reason: "expected a number") }
        guard range.contains(value) else {
            throw .invalid(variable: variable, reason: "expected \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    /// A boolean (`true/false/1/0/yes/no/on/off`, any case), or `defaultValue` when unset.
    public func bool(_ variable: String, default defaultValue: Bool) throws(SettingsError) -> Bool {
        try bool(variable) ?? defaultValue
    }

    /// A boolean (`true/false/1/0/yes/no/on/off`, any case), or nil when unset.
    public func bool(_ variable: String) throws(SettingsError) -> Bool? {
        guard let text = string(variable)?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .invalid(variable: variable, reason: "expected true or false")
        }
    }

    /// A comma-separated list with blanks dropped (empty when unset).
    public func list(_ variable: String) -> [String] {
        listIfSet(variable) ?? []
    }

    /// A comma-separated list with blanks dropped, or nil when unset.
    public func listIfSet(_ variable: String) -> [String]? {
        string(variable).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// Milliseconds (a whole number within `range`) as a Duration, or nil when unset.
    public func milliseconds(_ variable: String, in range: ClosedRange<Int>) throws(SettingsError) -> Duration? {
        try int(variable, in: range).map { .milliseconds($0) }
    }
}
