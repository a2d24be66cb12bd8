import NIOPosix
import OzhRedis
import Synchronization

/// One consumer's dedicated Redis connection and thread for BLMOVE.
///
/// A connection blocked in BLMOVE serves nobody else, and a thread blocked in it must not be
/// one of Swift's cooperative threads, so each consumer owns both. After an I/O error the
/// connection is dropped and the next call reconnects.
public final class JobConsumer: Sendable {
    /// The queue this consumer takes from.
    public let name: String
    /// The worker id whose processing list receives the jobs.
    public let worker: String
    private let queue: JobQueue
    private let thread: NIOThreadPool
    private let connection = Mutex<RedisConnection?>(nil)

    /// Creates a consumer of `name` for `worker`; nothing is opened until the first reserve.
    public init(queue: JobQueue, name: String, worker: String) {
        self.queue = queue
        self.name = name
        self.worker = worker
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Takes the oldest ready job, waiting up to `timeout` (keep it short, ~1 s, so the
    /// caller notices shutdown). Returns nil when nothing came in time.
    ///
    /// `listWasEmpty`: the caller's last take (e.g. the one a completion made) found the list
    /// empty just now, so this goes straight to BLMOVE.
    public func reserve(timeout: Duration, listWasEmpty: Bool = false) async throws(JobQueueError) -> Job? {
        // While there is a backlog, take without blocking (one script on the shared connections);
        // only an empty list sends this consumer to BLMOVE on its own connection and thread.
        if !listWasEmpty {
            for _ in 0..<8 {
                switch try await queue.take(queue: name, worker: worker) {
                case .job(let job): return job
                case .stray: continue
                case .empty: break
                }
                break
            }
        }
        let result: Result<Job?, JobQueueError>
        do {
            result = try await thread.runIfActive { [self] in self.reserveBlocking(timeout: timeout) }
        } catch {
            throw .redis(.unavailable("the consumer is closed"))
        }
        return try result.get()
    }

    private func reserveBlocking(timeout: Duration) -> Result<Job?, JobQueueError> {
        var current = connection.withLock { $0.take() }
        do throws(JobQueueError) {
            if current == nil {
                do {
                    // The socket waits a little longer than BLMOVE itself.
                    current = try queue.redis.makeDedicatedConnection(commandTimeout: timeout + .seconds(5))
                } catch {
                    throw .redis(error)
                }
            }
            let job = try queue.reserve(queue: name, worker: worker, timeout: timeout, connection: current!)
            keep(current!)
            return .success(job)
        } catch {
            if let current, !current.isBroken, case .redis(let redisError) = error, !redisError.breaksConnection {
                keep(current)
            }
            return .failure(error)
        }
    }

    private func keep(_ value: RedisConnection) {
        connection.withLock { $0 = value }
    }

    /// Closes the connection and stops the thread (a reserve in progress finishes first).
    public func close() {
        thread.shutdownGracefully { _ in }
        connection.withLock { $0 = nil }
    }
}
