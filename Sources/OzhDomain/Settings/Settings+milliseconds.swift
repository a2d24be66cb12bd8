import OzhSettings

extension Settings {
    /// A comma-separated list of pauses in milliseconds (each 1 ms to 1 day), or `defaultValue` when unset.
    static func milliseconds(_ source: SettingsSource, _ variable: String, default defaultValue: [Int]) throws(SettingsError) -> [Int] {
        let items = source.list(variable)
        guard !items.isEmpty else { return defaultValue }
        var values: [Int] = []
        for item in items {
            guard let value = Int(item), (1...86_400_000).contains(value) else {
                throw .invalid(variable: variable, reason: "expected comma-separated milliseconds (1...86400000), got '\(item)'")
            }
            values.append(value)
        }
        return values
    }
}
