import Foundation
import OzhDomain
import OzhQueue
import OzhSupport

/// `GET /jobs/{job_id}`'s body: ``JobDocument`` (in OzhDomain, so callback deliveries push the same),
/// formatted from the snapshot and the images read for it (``GenerationStore/answerImages(of:)``).
enum JobView {
    static func json(_ snapshot: JobSnapshot, images: GenerationImages?) -> JSONValue {
        JobDocument.json(snapshot, images: images)
    }
}

extension JobView {
    /// The `202 Accepted` answer of a job-creating request: `{job_id, status, status_url}`,
    /// with `error` when the job already failed.
    static func accepted(_ job: Job, eta: JobETA? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("job_id", .string(job.id)), ("status", .string(job.status.rawValue)), ("status_url", .string("/jobs/\(job.id)")),
        ]
        if let eta, job.status == .queued || job.status == .retrying { fields += eta.fields }
        if job.status == .failed, let error = job.error {
            fields.append(("error", .object([("code", .string(error.code)), ("message", .string(error.message))])))
        }
        return .object(fields)
    }
}
