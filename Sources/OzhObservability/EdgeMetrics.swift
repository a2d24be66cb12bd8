/// What the gateway's edge limits turned away: `ozh_http_refused_total{reason}`, `reason` one
/// of ``Reason`` (connections over `MAX_CONNECTIONS`, uploads over `MAX_CONCURRENT_UPLOADS`,
/// long-polls answered at once over `MAX_LONG_POLLS`/`MAX_LONG_POLLS_PER_CLIENT`).
public enum EdgeMetrics {
    /// Why a connection or request was refused.
    public enum Reason: String, Sendable, CaseIterable {
        case connection = "connections"
        case upload = "uploads"
        case longPoll = "long_polls"
    }

    static let refusedFamily = CounterFamily(
        "ozh_http_refused_total", "Connections and requests the gateway's edge limits refused, by limit.", labels: ["reason"])

    /// Counts one refusal.
    public static func refused(_ reason: Reason) {
        refusedFamily.with(reason.rawValue).increment()
    }

    /// Creates every series at 0, so a dashboard sees them before the first refusal.
    public static func prepare() {
        for reason in Reason.allCases { _ = refusedFamily.with(reason.rawValue) }
    }
}
