import Foundation
import OzhSupport

/// A job's push callback as its hash holds it: where (`callback_url`), which events
/// (`callback_events`), and how the latest final delivery went (`cb_status`, `cb_attempts`,
/// `cb_last_status`, `cb_next_at`), written by the delivery jobs (``JobQueue/recordCallback(jobID:state:final:)``).
public struct JobCallback: Sendable, Equatable {
    /// The URL deliveries go to (never shown by `GET /jobs`: it may carry the bot's own token).
    public var url: String
    /// Whether each image (progress) is pushed too, not only the end.
    public var progress: Bool
    /// `pending` (nothing sent yet), `retrying`, `delivered` or `failed`.
    public var status: String
    /// Delivery attempts made for the latest event.
    public var attempts: Int
    /// The receiver's latest HTTP status, or a transport error code (`connect_failed`, `refused_target`, …).
    public var lastStatus: String?
    /// When the next attempt runs, while `retrying`.
    public var nextAttemptAt: Date?

    /// The hash fields of a job's callback.
    public enum Field {
        public static let url = "callback_url"
        public static let events = "callback_events"
        public static let status = "cb_status"
        public static let attempts = "cb_attempts"
        public static let lastStatus = "cb_last_status"
        public static let nextAt = "cb_next_at"
        /// Every field, in the order the snapshot reads them.
        public static let all = [url, events, status, attempts, lastStatus, nextAt]
    }

    /// The callback in a job's fields, or nil when it has none.
    public init?(fields: [String: String]) {
        guard let url = fields[Field.url], !url.isEmpty else { return nil }
        self.url = url
        progress = fields[Field.events] == "progress"
        status = fields[Field.status] ?? "pending"
        attempts = fields[Field.attempts].flatMap(Int.init) ?? 0
        lastStatus = fields[Field.lastStatus].flatMap { $0.isEmpty ? nil : $0 }
        nextAttemptAt = fields[Field.nextAt].flatMap(Int64.init).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// `{status, attempts, last_status, next_attempt_at}` as `GET /jobs/{id}` shows it.
    public var json: JSONValue {
        .object([
            ("status", .string(status)),
            ("attempts", .int(Int64(attempts))),
            ("last_status", Self.statusValue(lastStatus)),
            ("next_attempt_at", .string(nextAttemptAt.map(Timestamp.format))),
        ])
    }

    /// An HTTP status as a number, a transport error code as a string.
    static func statusValue(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        if let number = Int64(text) { return .int(number) }
        return .string(text)
    }

    /// What a cached answer must match (see `JobAnswer.fingerprint`).
    public var fingerprint: String {
        [status, String(attempts), lastStatus ?? "-", nextAttemptAt.map { String($0.timeIntervalSince1970) } ?? "-"].joined(separator: "/")
    }
}
