/// How a ``JobQueue`` names its keys and how long it keeps things.
public struct JobQueueConfiguration: Sendable, Equatable {
    /// Prefix of every key (`REDIS_PREFIX`, default `ozh:`).
    public var prefix: String
    /// How long a succeeded job's hash is kept after it ends.
    public var finishedJobTTL: Duration
    /// How long a failed (dead) job's hash is kept after it ends.
    public var deadJobTTL: Duration
    /// How often a worker writes its heartbeat.
    public var heartbeatInterval: Duration
    /// A worker whose last heartbeat is older than this is presumed dead and its jobs are recovered.
    public var workerDeadAfter: Duration

    /// Creates a configuration; the defaults suit production.
    public init(
        prefix: String = "ozh:",
        finishedJobTTL: Duration = .seconds(3 * 24 * 3600),
        deadJobTTL: Duration = .seconds(14 * 24 * 3600),
        heartbeatInterval: Duration = .seconds(2),
        workerDeadAfter: Duration = .seconds(15)
    ) {
        self.prefix = prefix
        self.finishedJobTTL = finishedJobTTL
        self.deadJobTTL = deadJobTTL
        self.heartbeatInterval = heartbeatInterval
        self.workerDeadAfter = workerDeadAfter
    }
}

/// The Redis keys of one queue (see DESIGN.md, "Redis layout").
public struct JobQueueKeys: Sendable {
    /// The key prefix.
    public let prefix: String
    /// The queue name, e.g. `generation`.
    public let queue: String

    /// `<p>queue:<q>`: ids ready to run; enqueue LPUSHes, workers take from the right.
    public var ready: String { "\(prefix)queue:\(queue)" }
    /// `<p>queue_seq:<q>`: the ready list's ticket counters (hash: `back`, the last ticket given at the back;
    /// `front`, the ticket of the last job taken, less one per push to the front) behind queue positions.
    public var sequence: String { "\(prefix)queue_seq:\(queue)" }
    /// `<p>delayed:<q>`: ids waiting for a retry or for quota, score = run-at ms.
    public var delayed: String { "\(prefix)delayed:\(queue)" }
    /// `<p>dead:<q>`: ids that used up their attempts (newest on the left).
    public var dead: String { "\(prefix)dead:\(queue)" }
    /// `<p>workers:<q>`: worker id → last heartbeat ms.
    public var workers: String { "\(prefix)workers:\(queue)" }
    /// `<p>processing:<q>:<worker>`: ids `worker` holds.
    public func processing(_ worker: String) -> String { "\(prefix)processing:\(queue):\(worker)" }
    /// `<p>job:<id>`: the job hash.
    public func job(_ id: String) -> String { "\(prefix)job:\(id)" }
    /// `<p>events`: the pub/sub channel of status changes (`<id> <status>`).
    public var events: String { "\(prefix)events" }
}
