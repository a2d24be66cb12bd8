import Foundation
import OzhRedis

/// The reliable Redis job queue (see DESIGN.md, "Reliable processing").
///
/// A job id moves atomically from the ready list into the taking worker's processing list
/// (BLMOVE), so a crash right after the pop never orphans it; a worker that stops
/// heart-beating has its processing list returned by any live worker
/// (``recoverDeadWorkers(queue:recoverer:)``). Every state change is one Lua script and publishes
/// `<id> <status>` on `<prefix>events`.
public struct JobQueue: Sendable {
    /// The Redis pool used for every non-blocking call.
    public let redis: RedisClient
    /// Key prefix, TTLs and heartbeat timing.
    public let configuration: JobQueueConfiguration

    /// Creates a queue over `redis`.
    public init(redis: RedisClient, configuration: JobQueueConfiguration = .init()) {
        self.redis = redis
        self.configuration = configuration
    }

    /// The keys of `queue`.
    public func keys(_ queue: String) -> JobQueueKeys { JobQueueKeys(prefix: configuration.prefix, queue: queue) }

    /// The pub/sub channel of status changes: messages are `<id> <status>`.
    public var eventsChannel: String { "\(configuration.prefix)events" }

    /// Enqueues a job and returns its id.
    ///
    /// The hash and the LPUSH are written by one script. When `id` is given and a job with
    /// that id already exists, nothing is written and the id is returned (idempotent enqueue).
    /// `fields` are further hash fields written with it (e.g. the job's callback).
    /// The untyped form, on the record's JSON text: services enqueue a ``JobKind``
    /// (``enqueue(_:queue:payload:chatID:maxAttempts:id:fields:)``); this one is for tools and tests of the queue.
    @discardableResult
    public func enqueue(
        kind: String, queue: String, payload: String = "{}", chatID: Int64? = nil, maxAttempts: Int = 5, id: String? = nil,
        fields: [(String, String)] = []
    ) async throws(JobQueueError) -> String {
        guard maxAttempts >= 1 else { throw .invalidArgument("maxAttempts must be at least 1") }
        guard !kind.isEmpty, !queue.isEmpty else { throw .invalidArgument("kind and queue must not be empty") }
        let id = id ?? UUID().uuidString.lowercased()
        guard !id.isEmpty, !id.contains(" ") else { throw .invalidArgument("a job id must be non-empty and without spaces") }
        let k = keys(queue)
        try await run(
            JobQueueScripts.enqueue, keys: [k.job(id), k.ready, k.sequence],
            arguments: [id, kind, queue, payload, chatID.map(String.init) ?? "", String(maxAttempts), k.events]
                + fields.flatMap { [$0.0, $0.1] })
        return id
    }

    /// Takes the oldest ready job, waiting up to `timeout`, using `connection` — a dedicated
    /// connection (``RedisClient/makeDedicatedConnection(commandTimeout:)``) that this call
    /// blocks, so it must run on a blocking thread. Returns nil when nothing came in time (or
    /// the popped id was stale and was dropped).
    public func reserve(
        queue: String, worker: String, timeout: Duration, connection: RedisConnection
    ) throws(JobQueueError) -> Job? {
        let k = keys(queue)
        let seconds = String(format: "%.3f", Double(max(1, timeout.wholeMilliseconds)) / 1000)
        let popped: RedisReply
        do {
            popped = try connection.command(["BLMOVE", k.ready, k.processing(worker), "RIGHT", "LEFT", seconds])
        } catch {
            throw .redis(error)
        }
        guard let id = popped.string else { return nil }
        let marked: RedisReply
        do {
            marked = try connection.run(
                JobQueueScripts.markProcessing, keys: [k.job(id), k.processing(worker), k.sequence],
                arguments: [id, worker, k.events])
        } catch {
            throw .redis(error)
        }
        if marked.isNull { return nil }
        return try Job(fields: marked.pairs)
    }

    /// Async form of ``reserve(queue:worker:timeout:connection:)`` for tools and tests: opens a
    /// dedicated connection for this one call on ``Blocking/redis``. Long-running consumers
    /// use a ``JobConsumer`` instead.
    public func reserve(queue: String, worker: String, timeout: Duration) async throws(JobQueueError) -> Job? {
        let consumer = JobConsumer(queue: self, name: queue, worker: worker)
        defer { consumer.close() }
        return try await consumer.reserve(timeout: timeout)
    }

    /// Marks `job` succeeded with `result` (JSON) and sets its TTL. Returns false (and changes
    /// nothing) when `worker` no longer holds this attempt — it was recovered by someone else.
    @discardableResult
    public func complete(_ job: Job, worker: String, result: String) async throws(JobQueueError) -> Bool {
        let k = keys(job.queue)
        let reply = try await run(
            JobQueueScripts.complete, keys: [k.job(job.id), k.processing(worker)],
            arguments: [
                job.id, worker, String(job.attempts), result,
                String(configuration.finishedJobTTL.wholeMilliseconds), k.events,
            ])
        return reply.int == 1
    }

    /// Ends an attempt that failed. When `retryable` and attempts remain (below the job's
    /// `max_attempts`, further capped by `maxAttempts` if given) the job waits `backoff` in the
    /// delayed set (`retrying`); otherwise it is `failed` and goes to the dead list.
    /// Returns the new status, or nil when `worker` no longer holds this attempt.
    @discardableResult
    public func fail(
        _ job: Job, worker: String, error: JobError, retryable: Bool, backoff: Duration, maxAttempts: Int? = nil
    ) async throws(JobQueueError) -> JobStatus? {
        let k = keys(job.queue)
        let reply = try await run(
            JobQueueScripts.fail, keys: [k.job(job.id), k.processing(worker), k.delayed, k.dead],
            arguments: [
                job.id, worker, String(job.attempts), error.code, error.message, retryable ? "1" : "0",
                String(backoff.wholeMilliseconds), String(configuration.deadJobTTL.wholeMilliseconds), k.events,
                maxAttempts.map(String.init) ?? "",
            ])
        return reply.string.flatMap(JobStatus.init(rawValue:))
    }

    /// Puts `job` in the delayed set until `until` without spending an attempt (e.g. the
    /// quota is used up); the status is `retrying`, `error_code` `postponed`, `error_message`
    /// `reason`. Returns false when `worker` no longer holds this attempt.
    @discardableResult
    public func postpone(_ job: Job, worker: String, until: Date, reason: String) async throws(JobQueueError) -> Bool {
        let k = keys(job.queue)
        let delay = max(0, Int64((until.timeIntervalSinceNow * 1000).rounded(.up)))
        let reply = try await run(
            JobQueueScripts.postpone, keys: [k.job(job.id), k.processing(worker), k.delayed],
            arguments: [job.id, worker, String(job.attempts), String(delay), reason, k.events])
        return reply.int == 1
    }

    /// Gives `job` back for graceful shutdown: it goes to the head of the ready list (next to
    /// run), `queued`, without spending an attempt. Returns false when `worker` no longer holds it.
    @discardableResult
    public func release(_ job: Job, worker: String) async throws(JobQueueError) -> Bool {
        let k = keys(job.queue)
        let reply = try await run(
            JobQueueScripts.release, keys: [k.job(job.id), k.processing(worker), k.ready, k.sequence],
            arguments: [job.id, worker, String(job.attempts), k.events])
        return reply.int == 1
    }

    /// Runs one of the queue's scripts through the pool, wrapping Redis errors.
    @discardableResult
    func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws(JobQueueError) -> RedisReply {
        do {
            return try await redis.run(script, keys: keys, arguments: arguments)
        } catch {
            throw .redis(error)
        }
    }
}
