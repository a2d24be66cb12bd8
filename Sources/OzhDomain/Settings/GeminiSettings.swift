import OzhSettings

/// How Gemini is reached and how much of it may be used: the generation workers' client and
/// quota, and what the gateway needs to refuse a generation that cannot run.
public struct GeminiSettings: Sendable, Equatable {
    /// `GEMINI_API_KEYS_STR`: comma-separated Gemini keys (optionally `project:key`).
    public var keys: [String]
    /// `GEMINI_PROJECTS`: comma-separated project names (those of `GEMINI_API_KEYS_STR`'s
    /// `project:key` entries), so the gateway knows the quotas without the keys' secrets.
    public var projects: [String]
    /// `GEMINI_BASE_URL` (default Google's), `GEMINI_MODEL`, `GEMINI_PROMPT`, `GEMINI_PROXY`.
    public var baseURL: String
    public var model: String
    public var prompt: String
    public var proxy: String?
    /// `GEMINI_RPM`, `GEMINI_RPD` (per project), optional `GEMINI_IPM`, and `GEMINI_WINDOW_MS`
    /// (the "minute", shortened only in tests and benchmarks).
    public var rpm: Int
    public var rpd: Int
    public var ipm: Int?
    public var windowMS: Int
    /// `GEMINI_WINDOW_MARGIN_MS`: how much longer than the window a call keeps counting (1500).
    public var windowMarginMS: Int

    /// The Gemini quota limits these settings describe.
    public var quotaLimits: QuotaLimits {
        QuotaLimits(rpm: rpm, rpd: rpd, ipm: ipm, windowLength: .milliseconds(windowMS), safetyMargin: .milliseconds(windowMarginMS))
    }

    /// Reads and validates the Gemini settings from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        keys = source.list("GEMINI_API_KEYS_STR")
        baseURL = source.string("GEMINI_BASE_URL") ?? "https://generativelanguage.googleapis.com"
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw .invalid(variable: "GEMINI_BASE_URL", reason: "expected an http:// or https:// URL")
        }
        model = source.string("GEMINI_MODEL") ?? "gemini-2.5-flash-image"
        prompt =
            source.string("GEMINI_PROMPT")
            ?? "Bring this child's drawing to life: redraw it as a vivid, friendly, colourful illustration that keeps the child's characters, shapes and composition."
        proxy = source.string("GEMINI_PROXY")
        rpm = try source.int("GEMINI_RPM", default: 15, in: 1...100_000)
        rpd = try source.int("GEMINI_RPD", default: 1500, in: 1...10_000_000)
        ipm = source.string("GEMINI_IPM") == nil ? nil : try source.int("GEMINI_IPM", default: 0, in: 1...100_000)
        windowMS = try source.int("GEMINI_WINDOW_MS", default: 60_000, in: 100...3_600_000)
        windowMarginMS = try source.int("GEMINI_WINDOW_MARGIN_MS", default: 1_500, in: 0...600_000)
        projects = try Self.projectNames(source.list("GEMINI_PROJECTS"))
    }
}
