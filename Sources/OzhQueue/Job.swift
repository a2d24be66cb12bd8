import Foundation

/// Where a job is in its life.
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    /// In the ready list, waiting for a worker.
    case queued
    /// Held by a worker.
    case processing
    /// In the delayed set, waiting for a retry or for quota (see `runAt`).
    case retrying
    /// Done; `result` holds the handler's JSON.
    case succeeded
    /// Out of attempts (or failed for good); in the dead list.
    case failed

    /// True for `succeeded` and `failed`.
    public var isFinal: Bool { self == .succeeded || self == .failed }
}

/// A job's code and message, stored as `error_code` / `error_message`.
public struct JobError: Sendable, Equatable, Codable {
    /// Stable snake_case code.
    public var code: String
    /// Human text.
    public var message: String

    /// Creates an error description.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// One job as stored in its hash `<p>job:<id>`.
public struct Job: Sendable, Equatable {
    /// Unique id (a lowercase UUID unless the enqueuer chose one).
    public var id: String
    /// What to do; selects the handler.
    public var kind: String
    /// The queue it belongs to.
    public var queue: String
    /// Where it is in its life.
    public var status: JobStatus
    /// The handler's input, a JSON string.
    public var payload: String
    /// The Telegram chat the job is for, if any.
    public var chatID: Int64?
    /// Attempts started so far (a postponed or released run is not counted).
    public var attempts: Int
    /// Attempts allowed before it goes dead.
    public var maxAttempts: Int
    /// When it was enqueued.
    public var createdAt: Date
    /// When the latest attempt started.
    public var startedAt: Date?
    /// When it succeeded or failed for good.
    public var finishedAt: Date?
    /// The worker that holds (or last held) it.
    public var worker: String?
    /// The latest failure or postponement reason.
    public var error: JobError?
    /// The handler's result JSON, once succeeded.
    public var result: String?
    /// The latest progress JSON reported by the handler.
    public var progress: String?
    /// When a delayed job becomes ready again.
    public var runAt: Date?
    /// Its push callback, when the request named one (or `JOB_CALLBACK_URL` applies).
    public var callback: JobCallback?

    /// Parses the fields of an HGETALL reply.
    public init(fields: [String: String]) throws(JobQueueError) {
        let id = fields["id"] ?? "?"
        func need(_ name: String) throws(JobQueueError) -> String {
            guard let value = fields[name] else { throw .malformedJob(id: id, reason: "the field \(name) is missing") }
            return value
        }
        func date(_ name: String) -> Date? {
            fields[name].flatMap(Int64.init).map { Date(timeIntervalSince1970: Double($0) / 1000) }
        }
        self.id = try need("id")
        kind = try need("kind")
        queue = try need("queue")
        guard let status = JobStatus(rawValue: try need("status")) else {
            throw .malformedJob(id: id, reason: "unknown status \(fields["status"] ?? "")")
        }
        self.status = status
        payload = fields["payload"] ?? "{}"
        chatID = fields["chat_id"].flatMap(Int64.init)
        attempts = fields["attempts"].flatMap(Int.init) ?? 0
        maxAttempts = fields["max_attempts"].flatMap(Int.init) ?? 1
        guard let created = date("created_at") else { throw .malformedJob(id: id, reason: "created_at is missing") }
        createdAt = created
        startedAt = date("started_at")
        finishedAt = date("finished_at")
        worker = fields["worker"].flatMap { $0.isEmpty ? nil : $0 }
        if let code = fields["error_code"], !code.isEmpty {
            error = JobError(code: code, message: fields["error_message"] ?? "")
        }
        result = fields["result"]
        progress = fields["progress"]
        runAt = date("run_at")
        callback = JobCallback(fields: fields)
    }
}
