import Foundation
import OzhQueue
import OzhRedis

/// Turns YooKassa notifications into confirmation jobs without ever losing one.
///
/// A notification only says "re-read this payment (or refund)". It is deduplicated against the
/// subject's current job (`<prefix>webhook:<subject>` names it) only while that job is `queued`
/// or `retrying`: such a job reads YooKassa again after the notification arrived, so it sees
/// whatever the notification announces. A job that is running (it may have read already) or
/// finished gets a new job next to it, so an earlier twin — forged, early, or one whose re-read
/// said `pending` — can never use up the genuine notification. Settling is idempotent, so the
/// rare extra job (a burst while one runs) changes nothing.
public struct NotificationInbox: Sendable {
    /// What ``submit(_:subject:payload:)`` did.
    public enum Outcome: Sendable, Equatable {
        /// A new job with this id was queued.
        case queued(String)
        /// The job with this id will re-read after now; nothing was queued.
        case deduplicated(String)
    }

    let queue: JobQueue
    /// How long the pointer to a subject's current job is kept (a day: longer than any job waits).
    let pointerTTL: Duration

    public init(queue: JobQueue, pointerTTL: Duration = .seconds(86_400)) {
        self.queue = queue
        self.pointerTTL = pointerTTL
    }

    /// Queues a `kind` job (on the `payment` queue) with `payload` for `subject` (a payment id, or
    /// `refund-<id>`) unless the subject's current job has yet to read.
    public func submit<Payload, Result>(_ kind: JobKind<Payload, Result>, subject: String, payload: Payload) async throws -> Outcome {
        let pointer = "\(queue.configuration.prefix)webhook:\(subject)"
        if let current = try await queue.redis.send("GET", pointer).string,
            let job = try await queue.job(id: current), job.status == .queued || job.status == .retrying
        {
            return .deduplicated(current)
        }
        let id = "webhook-\(subject)-\(UUID().uuidString.lowercased().prefix(13))"
        try await queue.enqueue(kind, queue: QueueNames.payment, payload: payload, maxAttempts: 8, id: id)
        _ = try await queue.redis.send("SET", pointer, id, "PX", String(pointerTTL.wholeMilliseconds))
        return .queued(id)
    }
}
