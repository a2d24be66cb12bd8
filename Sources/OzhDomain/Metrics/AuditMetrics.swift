import Foundation
import OzhObservability

/// The money audit as the generation workers run it: `ozh_audit_problems{code}` (one series
/// per problem code, and `code="total"`), and `ozh_audit_last_success_timestamp_seconds`.
///
/// The gauges are created at 0 when a worker starts its audit schedule; until the first audit
/// has finished the timestamp stays 0, so "0 problems" is only believed with a timestamp.
public enum AuditMetrics {
    /// The `code` label of the sum over every code.
    public static let totalCode = "total"

    static let problems = GaugeFamily(
        "ozh_audit_problems", "Problems the last money audit found, by code (code=\"total\": all of them).", labels: ["code"])
    static let lastSuccess = GaugeFamily(
        "ozh_audit_last_success_timestamp_seconds", "Unix time the last money audit finished (0: none yet).", labels: [])

    /// Creates every series at 0.
    public static func prepare() {
        for code in AuditProblem.Code.allCases { _ = problems.with(code.rawValue) }
        _ = problems.with(totalCode)
        _ = lastSuccess.with()
    }

    /// Sets the gauges from a finished audit.
    public static func record(_ report: AuditReport, at date: Date = Date()) {
        for code in AuditProblem.Code.allCases { problems.with(code.rawValue).set(to: Double(report.counts[code] ?? 0)) }
        problems.with(totalCode).set(to: Double(report.total))
        lastSuccess.with().set(to: date.timeIntervalSince1970)
    }
}
