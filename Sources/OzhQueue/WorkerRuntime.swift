import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs job handlers for one queue: N consumer loops (each with its own BLMOVE connection)
/// and one maintenance loop (heartbeat, promotion of due jobs, recovery of dead workers).
///
/// On graceful shutdown it stops taking jobs, lets in-flight ones finish within
/// ``Configuration/shutdownDeadline``, gives the rest back with ``JobQueue/release(_:worker:)``
/// (no attempt spent, never marked failed) and finally leaves the workers set.
public final class WorkerRuntime: Service, Sendable {
    /// How a runtime runs.
    public struct Configuration: Sendable {
        /// The queue to take jobs from, e.g. `generation`.
        public var queue: String
        /// This worker's id in Redis (default: host-pid-random).
        public var workerID: String
        /// Jobs run at once.
        public var concurrency: Int
        /// How long in-flight jobs may run on after a graceful shutdown begins.
        public var shutdownDeadline: Duration
        /// How long one BLMOVE waits (short, so a consumer notices shutdown).
        public var reserveTimeout: Duration

        /// Creates a configuration.
        public init(
            queue: String, workerID: String = WorkerRuntime.defaultWorkerID(), concurrency: Int = 4,
            shutdownDeadline: Duration = .seconds(25), reserveTimeout: Duration = .seconds(1)
        ) {
            self.queue = queue
            self.workerID = workerID
            self.concurrency = max(1, concurrency)
            self.shutdownDeadline = shutdownDeadline
            self.reserveTimeout = reserveTimeout
        }
    }

    /// A job handler: returns the result JSON, or throws ``JobFailure``, ``JobPostpone`` or
    /// anything else (retryable `internal_error`).
    public typealias Handler = @Sendable (JobContext) async throws -> String

    struct Registration: Sendable {
        let policy: RetryPolicy
        let handler: Handler
    }

    /// The queue the runtime works on.
    public let jobQueue: JobQueue
    /// Its configuration.
    public let configuration: Configuration
    let logger: Logger
    let handlers = Mutex<[String: Registration]>([:])
    let inFlight = Mutex<Set<String>>([])
    let shutdown = ShutdownSignal()
    /// Triggered ``Configuration/shutdownDeadline`` after ``shutdown``: the attempts still running
    /// are given back. One timer for the runtime, not one task per attempt.
    let deadlinePassed = ShutdownSignal()

    /// Creates a runtime; register handlers before running it.
    public init(queue: JobQueue, configuration: Configuration, logger: Logger) {
        jobQueue = queue
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.workerID)"
        logger[metadataKey: "queue"] = "\(configuration.queue)"
        self.logger = logger
    }

    /// Handles jobs of `kind` with `handler` under `policy` (and starts its `ozh_jobs_total` series at 0).
    /// The untyped form, on the record's JSON text: services register a ``JobKind``
    /// (``register(_:policy:invalidPayload:handler:)``); this one is for tests of the runtime itself.
    public func register(kind: String, policy: RetryPolicy = RetryPolicy(), handler: @escaping Handler) {
        handlers.withLock { $0[kind] = Registration(policy: policy, handler: handler) }
        JobMetrics.prepare(queue: configuration.queue, kind: kind)
    }

    /// `<hostname>-<pid>-<random>`.
    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// Runs until graceful shutdown (or cancellation), then drains as described above.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.runLoops()
        } onGracefulShutdown: {
            self.shutdown.trigger()
        }
    }

    /// Starts a graceful stop without ServiceLifecycle (tests, embedding).
    public func stop() { shutdown.trigger() }

    private func runLoops() async {
        let queue = configuration.queue, worker = configuration.workerID
        // Heart-beat before taking anything, so a crash at any later point is recoverable.
        var delay = Duration.milliseconds(100)
        while !shutdown.isTriggered && !Task.isCancelled {
            do {
                try await jobQueue.heartbeat(queue: queue, worker: worker)
                break
            } catch {
                logger.warning("cannot reach Redis yet", metadata: ["error": "\(error)"])
                _ = await shutdown.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        // Logged from inside the service group, whose SIGTERM handling is in place by now: a
        // supervisor (or test) that waits for this line may stop the worker gracefully at once.
        logger.info("worker started; waiting for jobs", metadata: ["concurrency": "\(configuration.concurrency)"])
        let maintenanceStop = ShutdownSignal()
        let deadline = configuration.shutdownDeadline, shutdown = self.shutdown, deadlinePassed = self.deadlinePassed
        let deadlineTimer = Task {
            await shutdown.wait()
            try? await Task.sleep(for: deadline)
            if !Task.isCancelled { deadlinePassed.trigger() }
        }
        defer { deadlineTimer.cancel() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.maintenanceLoop(until: maintenanceStop) }
            await withTaskGroup(of: Void.self) { consumers in
                for index in 0..<configuration.concurrency {
                    consumers.addTask { await self.consumerLoop(index) }
                }
            }
            maintenanceStop.trigger()
        }
        do {
            let retired = try await jobQueue.retire(queue: queue, worker: worker)
            logger.info(retired ? "worker stopped" : "worker stopped holding jobs; recovery will return them")
        } catch {
            logger.warning("worker stopped without leaving the workers set", metadata: ["error": "\(error)"])
        }
    }

    private func consumerLoop(_ index: Int) async {
        let consumer = JobConsumer(queue: jobQueue, name: configuration.queue, worker: configuration.workerID)
        defer { consumer.close() }
        var delay = Duration.milliseconds(100)
        // What the last completion took with it (see JobQueue.complete(_:worker:result:thenTakeFrom:)).
        var next: JobTake?
        while true {
            // A job taken as shutdown begins (by a reserve or by a completion) is in flight like
            // any other: it gets the shutdown deadline, and is given back only if it cannot
            // finish within it.
            if case .job(let job)? = next {
                next = await process(job, takeNext: true)
                continue
            }
            guard !shutdown.isTriggered && !Task.isCancelled else { break }
            do {
                let listWasEmpty = next == .empty
                next = nil
                guard let job = try await consumer.reserve(timeout: configuration.reserveTimeout, listWasEmpty: listWasEmpty)
                else { continue }
                delay = .milliseconds(100)
                next = await process(job, takeNext: true)
            } catch {
                logger.warning("reserve failed", metadata: ["consumer": "\(index)", "error": "\(error)"])
                _ = await shutdown.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
