import Foundation
import Shared

/// `GET /jobs/{job_id}`'s body.
enum JobView {
    static func json(_ snapshot: JobSnapshot, generations: GenerationStore) async throws -> JSONValue {
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
            if job.kind == "generation", let result = job.result {
                fields.append(("result", try await GenerationView.json(jobID: job.id, result: result, store: generations)))
            } else {
                fields.append(("result", job.result.map(JSONValue.raw) ?? .null))
            }
        }
        if job.status == .failed, let error = job.error {
            fields.append(("error", .object([("code", .string(error.code)), ("message", .string(error.message))])))
        }
        return .object(fields)
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
