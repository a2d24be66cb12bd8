import Foundation
import OzhSettings

extension Settings {
    /// Refuses a secret still holding a value from the shipped templates
    /// (`deploy/compose/production.env.example`, `deploy/k8s/secret.yaml`, README examples):
    /// "change-me" and the like, or the templates' example keys. Every process calls it at
    /// start-up (``ProcessBootstrap/start(_:validate:)``); the error names the variable, never the value.
    ///
    /// Checked: `API_KEY` (each key), `GEMINI_API_KEYS_STR` (each key, with or without its
    /// project), `YOOKASSA_SECRET_KEY`, and the passwords inside `MONGO_URI` and `REDIS_URL`.
    public func refusePlaceholders() throws(SettingsError) {
        var secrets: [(variable: String, value: String)] = gateway.apiKeys.map { ("API_KEY", $0) }
        for entry in gemini.keys {
            secrets.append(("GEMINI_API_KEYS_STR", entry))
            if let colon = entry.firstIndex(of: ":") { secrets.append(("GEMINI_API_KEYS_STR", String(entry[entry.index(after: colon)...]))) }
        }
        if let secret = yookassa.secretKey { secrets.append(("YOOKASSA_SECRET_KEY", secret)) }
        if let password = Self.password(inURL: mongo.uri) { secrets.append(("MONGO_URI", password)) }
        if let password = Self.password(inURL: redis.url) { secrets.append(("REDIS_URL", password)) }
        for (variable, value) in secrets where Self.isPlaceholder(value) {
            throw .invalid(variable: variable, reason: "holds a placeholder from the shipped templates (such as 'change-me'); set a real secret")
        }
    }

    /// Words that mark a template value, compared without case, `-`, `_`, `.` or spaces.
    static let placeholderWords = ["changeme", "replaceme", "placeholder", "yoursecret", "yourkey", "yourpassword", "fillmein"]
    /// Whole example values of the templates.
    static let placeholderValues: Set<String> = [
        "aizakeyofprojecta", "aizakeyofprojectb", "live", "test", "password", "secret", "apikey", "xxx", "xxxx", "todo",
    ]

    /// Whether `value` is a template's stand-in rather than a secret.
    static func isPlaceholder(_ value: String) -> Bool {
        let folded = String(value.lowercased().unicodeScalars.filter { !"-_. ".unicodeScalars.contains($0) })
        if placeholderWords.contains(where: folded.contains) || placeholderValues.contains(folded) { return true }
        // `live_...`, `<secret>`: a value left as the template's ellipsis or angle-bracket hole.
        return value.hasSuffix("...") || value.hasSuffix("…") || (value.hasPrefix("<") && value.hasSuffix(">"))
    }

    /// The password of `scheme://user:password@host/...`, or nil.
    static func password(inURL url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let afterScheme = url[scheme.upperBound...]
        let rest = afterScheme.prefix { $0 != "/" && $0 != "?" }
        guard let at = rest.lastIndex(of: "@") else { return nil }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        let password = String(userInfo[userInfo.index(after: colon)...])
        return password.isEmpty ? nil : (password.removingPercentEncoding ?? password)
    }
}
