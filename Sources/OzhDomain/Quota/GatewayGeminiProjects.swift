/// How the gateway knows the Gemini projects (see ``GeminiSettings/gatewayProjects()``).
public enum GatewayGeminiProjects: Sendable, Equatable {
    /// The keys themselves (`GEMINI_API_KEYS_STR`).
    case keyring(GeminiKeyring)
    /// Only the project names (`GEMINI_PROJECTS`); key ids come from what the workers publish.
    case names([String])
}
