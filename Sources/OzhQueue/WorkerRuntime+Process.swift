import Foundation
import Logging
import Synchronization

extension WorkerRuntime {
    /// How one attempt ended.
    enum Outcome: Sendable {
        case returned(String)
        case threw(any Error)
        case timedOut
        case shutdownDeadline
    }

    /// Runs `job`'s handler and records the outcome in Redis and in `ozh_jobs_total` /
    /// `ozh_job_duration_seconds`. With `takeNext`, a success is recorded by the script that
    /// also takes this consumer's next job (unless shutdown began or the task is cancelled by
    /// then); returns what it took, or nil when nothing was asked for.
    @discardableResult
    func process(_ job: Job, takeNext: Bool = false) async -> JobTake? {
        inFlight.withLock { _ = $0.insert(job.id) }
        defer { inFlight.withLock { _ = $0.remove(job.id) } }
        let worker = configuration.workerID
        var logger = self.logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        logger[metadataKey: "attempt"] = "\(job.attempts)"
        if let chatID = job.chatID { logger[metadataKey: "chat_id"] = "\(chatID)" }

        guard let registration = handlers.withLock({ $0[job.kind] }) else {
            logger.error("no handler for this job kind")
            let error = JobError(code: "unknown_job_kind", message: "no handler for kind '\(job.kind)' on this worker")
            let status = await finish(job) {
                try await self.jobQueue.fail(job, worker: worker, error: error, retryable: false, backoff: .zero)
            }
            JobMetrics.record(
                queue: configuration.queue, kind: JobMetrics.unknownKind,
                outcome: status.flatMap { $0 } == nil ? .lost : .failed, duration: nil)
            return nil
        }
        let policy = registration.policy
        let context = JobContext(job: job, logger: logger, worker: worker, queue: jobQueue)
        let started = ContinuousClock.now
        logger.debug("job started")
        let outcome = await race(registration.handler, context, timeout: policy.timeout)
        let elapsed = ContinuousClock.now - started

        let recorded: JobOutcome
        var next: JobTake?
        switch outcome {
        case .returned(let result):
            let done = await complete(job, result: result, takeNext: takeNext)
            next = done?.next
            if done?.completed == false { logger.warning("job was recovered by another worker meanwhile; result dropped") }
            logger.info("job succeeded", metadata: ["elapsed_ms": "\(elapsed.wholeMilliseconds)"])
            recorded = done?.completed == true ? .succeeded : .lost
        case .threw(let error as JobPostpone):
            logger.info("job postponed", metadata: ["reason": "\(error.reason)"])
            let done = await finish(job) {
                try await self.jobQueue.postpone(job, worker: worker, until: error.until, reason: error.reason)
            }
            recorded = done == true ? .postponed : .lost
        case .threw(let error as JobLost):
            logger.warning(
                "job was taken over by another worker; this attempt stops and records nothing",
                metadata: [
                    "holder": "\(error.holder ?? "-")"
                ])
            recorded = .lost
        case .threw(let error as JobFailure):
            recorded = await failed(job, JobError(code: error.code, message: error.message), retryable: error.retryable, policy, logger)
        case .threw(let error):
            let message = String(String(describing: error).prefix(500))
            recorded = await failed(job, JobError(code: "internal_error", message: message), retryable: true, policy, logger)
        case .timedOut:
            let message = "the attempt ran longer than \(policy.timeout)"
            recorded = await failed(job, JobError(code: "timeout", message: message), retryable: true, policy, logger)
        case .shutdownDeadline:
            logger.notice("shutdown deadline reached; giving the job back")
            let done = await finish(job) { try await self.jobQueue.release(job, worker: worker) }
            recorded = done == true ? .released : .lost
        }
        JobMetrics.record(queue: configuration.queue, kind: job.kind, outcome: recorded, duration: elapsed)
        // The job's end is pushed to its callback by a delivery job of its own (never blocking or failing this one).
        switch recorded {
        case .succeeded: await jobQueue.pushEnd(of: job, status: .succeeded, logger: logger)
        case .failed, .dead: await jobQueue.pushEnd(of: job, status: .failed, logger: logger)
        default: break
        }
        return next
    }

    /// Records a success; the first try also takes the next job when `takeNext` and no
    /// shutdown has begun. A retry (after a Redis error, whose first try may have run and
    /// taken a job whose reply was lost: orphan reclaim returns that one) takes nothing.
    private func complete(_ job: Job, result: String, takeNext: Bool) async -> JobCompletion? {
        let worker = configuration.workerID, queue = configuration.queue, shutdown = self.shutdown
        let first = Mutex(true)
        return await finish(job) {
            let isFirst = first.withLock { value in
                defer { value = false }; return value
            }
            let take = takeNext && isFirst && !shutdown.isTriggered && !Task.isCancelled
            return try await self.jobQueue.complete(job, worker: worker, result: result, thenTakeFrom: take ? queue : nil)
        }
    }

    /// Records a failed attempt; returns what became of the job.
    private func failed(_ job: Job, _ error: JobError, retryable: Bool, _ policy: RetryPolicy, _ logger: Logger) async -> JobOutcome {
        let backoff = policy.backoff(afterAttempt: job.attempts)
        let worker = configuration.workerID
        let status = await finish(job) {
            try await self.jobQueue.fail(
                job, worker: worker, error: error, retryable: retryable, backoff: backoff,
                maxAttempts: policy.maxAttempts)
        }
        logger.warning(
            "job attempt failed",
            metadata: [
                "error_code": "\(error.code)", "error": "\(error.message)",
                "status": "\(status.flatMap { $0 }?.rawValue ?? "not_held")", "backoff_ms": "\(backoff.wholeMilliseconds)",
            ])
        switch status.flatMap({ $0 }) {
        case .retrying?: return .retrying
        case .failed?: return retryable ? .dead : .failed
        default: return .lost
        }
    }

    /// The first of: the handler ends, the attempt times out, the shutdown deadline passes
    /// (``deadlinePassed``, counted from the start of the shutdown for every attempt).
    /// The handler runs in its own task, so one that ignores cancellation cannot hold the worker.
    private func race(_ handler: @escaping Handler, _ context: JobContext, timeout: Duration) async -> Outcome {
        let (stream, continuation) = AsyncStream.makeStream(of: Outcome.self, bufferingPolicy: .bufferingOldest(1))
        let run = Task {
            do { continuation.yield(.returned(try await handler(context))) } catch { continuation.yield(.threw(error)) }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { continuation.yield(.timedOut) }
        }
        let deadline = deadlinePassed.whenTriggered { continuation.yield(.shutdownDeadline) }
        var first: Outcome = .shutdownDeadline // the runtime itself was cancelled
        for await outcome in stream {
            first = outcome
            break
        }
        run.cancel()
        timer.cancel()
        if let deadline { deadlinePassed.cancel(deadline) }
        continuation.finish()
        return first
    }

    /// Runs a Redis state change, retrying a few times (about 6 s) when Redis fails. If it
    /// never succeeds the job stays in this worker's processing list, where orphan reclaim
    /// (or recovery after a crash) returns it to the queue.
    @discardableResult
    func finish<T: Sendable>(_ job: Job, _ change: @escaping @Sendable () async throws -> T) async -> T? {
        var delay = Duration.milliseconds(100)
        for attempt in 1...6 {
            do {
                return try await change()
            } catch {
                logger.warning(
                    "cannot record the job's outcome",
                    metadata: [
                        "job_id": "\(job.id)", "error": "\(error)", "try": "\(attempt)",
                    ])
                try? await Task.sleep(for: delay)
                delay = delay * 2
            }
        }
        return nil
    }
}
