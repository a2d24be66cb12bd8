import OzhObservability

/// Gemini calls: `ozh_gemini_calls_total{project, outcome}` and
/// `ozh_gemini_call_duration_seconds{project}`. `project` is a configured project name.
public enum GeminiMetrics {
    /// Every `outcome` label, see ``GeminiOutcome/metricLabel``.
    public static let outcomes = [
        "ok", "no_image", "safety_blocked", "rate_limited", "key_rejected", "server_error",
        "transport_error", "not_sent", "bad_request",
    ]

    static let calls = CounterFamily(
        "ozh_gemini_calls_total", "Gemini generateContent calls, by project and outcome.", labels: ["project", "outcome"])
    static let duration = DurationHistogramFamily(
        "ozh_gemini_call_duration_seconds", "Duration of Gemini generateContent calls, by project.", labels: ["project"],
        buckets: [
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
            .seconds(10), .seconds(20), .seconds(30), .seconds(60), .seconds(120),
        ])

    /// Creates every outcome's counter of each project at 0.
    public static func prepare(projects: [String]) {
        for project in projects {
            for outcome in outcomes { _ = calls.with(project, outcome) }
        }
    }

    /// Counts one call to `project` and how long it took.
    public static func record(project: String, outcome: GeminiOutcome, duration elapsed: Duration) {
        calls.with(project, outcome.metricLabel).increment()
        duration.with(project).record(elapsed)
    }
}

extension GeminiOutcome {
    /// The `outcome` label: `ok`, `no_image`, `safety_blocked`, `rate_limited` (429),
    /// `key_rejected` (invalid key, 401/403), `server_error` (5xx), `transport_error`
    /// (time-out or broken connection), `not_sent` (never reached Google: refused connection,
    /// DNS, TLS, proxy refusal; its quota was given back) or `bad_request` (another 4xx).
    public var metricLabel: String {
        switch self {
        case .image: return "ok"
        case .noImage: return "no_image"
        case .blocked: return "safety_blocked"
        case .rateLimited: return "rate_limited"
        case .keyRejected: return "key_rejected"
        case .transient(let code, _): return code.hasPrefix("gemini_") ? "server_error" : "transport_error"
        case .notSent: return "not_sent"
        case .invalidRequest: return "bad_request"
        }
    }
}
