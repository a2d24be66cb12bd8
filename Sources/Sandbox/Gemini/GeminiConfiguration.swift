import Foundation
import OzhSettings

/// The Gemini emulator's settings: keys and their projects, quotas, window lengths, faults.
struct GeminiConfiguration: Sendable {
    /// Key → project from `SANDBOX_GEMINI_KEYS` (`project:key` or bare `key`, comma-separated).
    /// `nil` accepts any key as a project of its own.
    var keys: [String: String]? = nil
    /// `SANDBOX_GEMINI_MODELS`: the model names that exist; `nil` accepts any name.
    var models: Set<String>? = nil
    /// `SANDBOX_GEMINI_RPM`: accepted calls per project per window.
    var requestsPerMinute = 10
    /// `SANDBOX_GEMINI_RPD`: accepted calls per project per day.
    var requestsPerDay = 100
    /// `SANDBOX_GEMINI_WINDOW_MS` in seconds: the length of "a minute".
    var window: Double = 60
    /// `SANDBOX_GEMINI_DAY_MS` in seconds: when set, "a day" is this long, counted from the
    /// start (or the last reset); otherwise days end at midnight America/Los_Angeles.
    var dayLength: Double? = nil
    /// The largest request body accepted, as Google's (20 MiB).
    var maxBodyBytes = 20_971_520
    /// Faults active at start (`SANDBOX_GEMINI_LATENCY_MS`, `_ERROR_RATE`, `_ERROR_STATUS`, ...).
    var faults = GeminiFaults()

    init() {}

    init(_ env: SettingsSource) throws(SettingsError) {
        if let entries = env.listIfSet("SANDBOX_GEMINI_KEYS") {
            keys = try Self.parseKeys(entries)
        }
        models = env.listIfSet("SANDBOX_GEMINI_MODELS").map(Set.init)
        requestsPerMinute = try env.int("SANDBOX_GEMINI_RPM", in: 1...1_000_000) ?? requestsPerMinute
        requestsPerDay = try env.int("SANDBOX_GEMINI_RPD", in: 1...1_000_000_000) ?? requestsPerDay
        window = try env.int("SANDBOX_GEMINI_WINDOW_MS", in: 1...86_400_000).map { Double($0) / 1000 } ?? window
        dayLength = try env.int("SANDBOX_GEMINI_DAY_MS", in: 1...864_000_000).map { Double($0) / 1000 }
        faults = try GeminiFaults(env)
    }

    /// `project:key` pairs (a bare key is its own project); a key may belong to one project.
    static func parseKeys(_ entries: [String]) throws(SettingsError) -> [String: String] {
        var keys: [String: String] = [:]
        for entry in entries {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            let (project, key) = parts.count == 2 ? (parts[0], parts[1]) : (parts[0], parts[0])
            guard !project.isEmpty, !key.isEmpty else {
                throw SettingsError.invalid(
                    variable: "SANDBOX_GEMINI_KEYS", reason: "an entry has an empty project or key (expected project:key,...)")
            }
            if let other = keys[key], other != project {
                throw SettingsError.invalid(variable: "SANDBOX_GEMINI_KEYS", reason: "key …\(key.suffix(4)) is in projects \(other) and \(project)")
            }
            keys[key] = project
        }
        return keys
    }

    /// The project `key` belongs to, or nil for a key that is not registered.
    func project(of key: String) -> String? {
        guard let keys else { return key }
        return keys[key]
    }
}
