import OzhSettings

extension GeminiSettings {
    /// `GEMINI_PROJECTS`' names, validated like the projects of `GEMINI_API_KEYS_STR`; a name
    /// listed twice counts once.
    static func projectNames(_ names: [String]) throws(SettingsError) -> [String] {
        var projects: [String] = []
        for name in names where !projects.contains(name) {
            guard GeminiKeyring.isValidProject(name) else {
                throw .invalid(variable: "GEMINI_PROJECTS", reason: "'\(name.prefix(64))' is not a project name: use 1-64 of A-Z a-z 0-9 . _ -")
            }
            projects.append(name)
        }
        return projects
    }

    /// What the gateway knows of Gemini, to refuse a generation that cannot run before it is
    /// charged: the keyring when `GEMINI_API_KEYS_STR` is set (it must be valid), else the
    /// names of `GEMINI_PROJECTS` (no secrets). Throws when there is neither, or when both are
    /// set and name different projects.
    public func gatewayProjects() throws(SettingsError) -> GatewayGeminiProjects {
        guard !keys.isEmpty else {
            guard !projects.isEmpty else {
                throw .invalid(
                    variable: "GEMINI_PROJECTS",
                    reason:
                        "not set (and no GEMINI_API_KEYS_STR): list the Gemini project names, comma-separated, so the gateway can refuse generations when the quota is spent"
                )
            }
            return .names(projects)
        }
        return .keyring(try keyring())
    }

    /// The keys of `GEMINI_API_KEYS_STR` (empty when unset), checked: each entry well-formed,
    /// and, when `GEMINI_PROJECTS` is set too, the same projects (the gateway refuses
    /// generations by those names). The gateway and the generation workers both check here.
    public func keyring() throws(SettingsError) -> GeminiKeyring {
        let keyring: GeminiKeyring
        do {
            keyring = try GeminiKeyring(entries: keys)
        } catch {
            throw .invalid(variable: "GEMINI_API_KEYS_STR", reason: error.message.replacingOccurrences(of: "GEMINI_API_KEYS_STR: ", with: ""))
        }
        if !projects.isEmpty, Set(projects) != Set(keyring.projects) {
            throw .invalid(
                variable: "GEMINI_PROJECTS", reason: "names other projects than GEMINI_API_KEYS_STR: \(keyring.projects.joined(separator: ","))")
        }
        return keyring
    }
}
