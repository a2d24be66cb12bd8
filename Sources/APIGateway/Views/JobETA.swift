import Foundation
import OzhSupport

/// A waiting generation's estimated start: `eta_at` (a timestamp like the others) and
/// `eta_seconds` (from now, rounded up). An estimate, not a promise: see ``EtaEstimator``.
struct JobETA: Sendable, Equatable {
    /// When the job is expected to start.
    var at: Date

    /// Seconds from now until ``at``, never negative.
    var seconds: Int { max(0, Int(at.timeIntervalSinceNow.rounded(.up))) }

    /// `eta_seconds` and `eta_at`.
    var fields: [(String, JSONValue)] {
        [("eta_seconds", .int(Int64(seconds))), ("eta_at", .string(Timestamp.format(at)))]
    }
}
