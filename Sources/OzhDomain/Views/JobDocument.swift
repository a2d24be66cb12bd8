import Foundation
import OzhQueue
import OzhSupport

/// `GET /jobs/{job_id}`'s body, built from a snapshot: the gateway answers it, and the callback
/// deliveries push exactly it (built at delivery time, so the receiver gets the job as a poll
/// would see it then, and no large body waits in Redis).
public enum JobDocument {
    /// The body; a succeeded generation's result is formatted from `images` (``GenerationDocument``,
    /// read by ``GenerationStore/resultImages(of:)``).
    public static func json(_ snapshot: JobSnapshot, images: GenerationImages?) -> JSONValue {
        let job = snapshot.job
        var fields: [(String, JSONValue)] = [
            ("job_id", .string(job.id)),
            ("kind", .string(job.kind)),
            ("status", .string(job.status.rawValue)),
            ("attempts", .int(Int64(job.attempts))),
            ("created_at", .string(Timestamp.format(job.createdAt))),
            ("started_at", .string(job.startedAt.map(Timestamp.format))),
            ("finished_at", .string(job.finishedAt.map(Timestamp.format))),
            ("progress", job.progress.map(JSONValue.raw) ?? .null),
        ]
        if job.status == .queued {
            fields.append(("queue_position", .int(snapshot.queuePosition.map(Int64.init))))
        }
        if job.status == .retrying {
            fields.append(("retry_at", .string(job.runAt.map(Timestamp.format))))
            if let error = job.error { fields.append(("waiting_because", .string(error.message))) }
        }
        if job.status == .succeeded {
            if job.is(.generation), job.result != nil, let images {
                fields.append(("result", GenerationDocument.json(jobID: job.id, images: images)))
            } else {
                fields.append(("result", job.result.map(JSONValue.raw) ?? .null))
            }
        }
        if job.status == .failed, let error = job.error {
            fields.append(("error", .object([("code", .string(error.code)), ("message", .string(error.message))])))
        }
        if let callback = job.callback { fields.append(("callback", callback.json)) }
        return .object(fields)
    }
}
