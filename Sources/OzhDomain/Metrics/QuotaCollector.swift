import OzhObservability

/// Gemini quota per project, read from the limiter's Redis keys at scrape time (nothing is
/// reserved): `ozh_gemini_quota_remaining{project, window}` and `ozh_gemini_quota_limit{project,
/// window}` with `window` = `minute` or `day`, `ozh_gemini_keys{project}`,
/// `ozh_gemini_keys_disabled{project}` and `ozh_gemini_project_cooling_down{project}`.
public struct QuotaCollector: MetricsCollector {
    static let remaining = GaugeFamily(
        "ozh_gemini_quota_remaining", "Gemini requests a project may still send in the current minute window or quota day.",
        labels: ["project", "window"])
    static let limit = GaugeFamily(
        "ozh_gemini_quota_limit", "A project's Gemini request limit per minute window or per quota day.", labels: ["project", "window"])
    static let keys = GaugeFamily("ozh_gemini_keys", "Gemini API keys configured for a project.", labels: ["project"])
    static let disabled = GaugeFamily(
        "ozh_gemini_keys_disabled", "Gemini API keys of a project disabled after Gemini rejected them.", labels: ["project"])
    static let cooling = GaugeFamily(
        "ozh_gemini_project_cooling_down", "1 while a project cools down after a 429 from Gemini, else 0.", labels: ["project"])

    /// The limiter whose projects are read.
    public let limiter: QuotaLimiter
    public var name: String { "gemini_quota" }

    /// Reads `limiter`'s projects.
    public init(limiter: QuotaLimiter) {
        self.limiter = limiter
    }

    public func collect() async throws {
        for project in try await limiter.status() {
            let name = project.project
            Self.remaining.with(name, "minute").set(to: Double(max(0, project.rpm - project.callsInWindow)))
            Self.remaining.with(name, "day").set(to: Double(max(0, project.rpd - project.callsToday)))
            Self.limit.with(name, "minute").set(to: Double(project.rpm))
            Self.limit.with(name, "day").set(to: Double(project.rpd))
            Self.keys.with(name).set(to: Double(project.keyLabels.count))
            Self.disabled.with(name).set(to: Double(project.disabledKeyLabels.count))
            Self.cooling.with(name).set(to: project.coolingDownUntil == nil ? 0 : 1)
        }
    }
}
