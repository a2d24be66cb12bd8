import OzhRedis

/// What ``JobQueue/recoverDeadWorkers(queue:recoverer:)`` did.
public struct RecoveryReport: Sendable, Equatable {
    /// Jobs put back at the head of the ready list.
    public var requeued: Int
    /// Jobs that had used up their attempts and went to the dead list.
    public var dead: Int
    /// Workers presumed dead and removed.
    public var workers: Int
    /// Nothing was judged: the recoverer's own heartbeat was not fresh when the script ran.
    public var refused: Bool = false
    /// The dead jobs that have a push callback (the recoverer queues their `failed` push).
    public var deadWithCallback: [String] = []
}

extension JobQueue {
    /// Moves up to `limit` due jobs from the delayed set to the ready list (status `queued`).
    /// Atomic, so two workers never promote the same id twice. Returns how many moved.
    @discardableResult
    public func promoteDue(queue: String, limit: Int = 100) async throws(JobQueueError) -> Int {
        let k = keys(queue)
        let reply = try await run(
            JobQueueScripts.promoteDue, keys: [k.delayed, k.ready, k.sequence],
            arguments: [String(max(1, limit)), k.job(""), k.events])
        return Int(reply.int ?? 0)
    }

    /// Records that `worker` is alive (ZADD `<p>workers:<q>` with Redis' clock).
    public func heartbeat(queue: String, worker: String) async throws(JobQueueError) {
        try await run(JobQueueScripts.heartbeat, keys: [keys(queue).workers], arguments: [worker])
    }

    /// Returns the jobs of every worker whose heartbeat is older than
    /// ``JobQueueConfiguration/workerDeadAfter`` to the head of the ready list (their attempt
    /// stays counted; jobs out of attempts go dead) and removes those workers. Atomic, so two
    /// recoverers never duplicate a job; a heart-beating worker is never touched.
    ///
    /// `recoverer` must have heart-beaten within ``JobQueueConfiguration/heartbeatInterval``
    /// by Redis' clock when the script runs, or nothing is recovered and the report says
    /// ``RecoveryReport/refused``: a call that waited out a Redis stall (or this process's
    /// pause) in a socket buffer would otherwise judge the others by a gap that was not theirs.
    @discardableResult
    public func recoverDeadWorkers(queue: String, recoverer: String) async throws(JobQueueError) -> RecoveryReport {
        let k = keys(queue)
        let reply = try await run(
            JobQueueScripts.recoverDeadWorkers, keys: [k.workers, k.ready, k.dead, k.sequence],
            arguments: [
                String(configuration.workerDeadAfter.wholeMilliseconds), k.processing(""), k.job(""),
                String(configuration.deadJobTTL.wholeMilliseconds), k.events, recoverer,
                String(configuration.heartbeatInterval.wholeMilliseconds),
            ])
        let parts = reply.array ?? []
        let counts = parts.prefix(4).map { Int($0.int ?? 0) }
        guard counts.count == 4 else { throw .redis(.unexpectedReply("recover_dead_workers returned \(reply)")) }
        let pushed = parts.count > 4 ? (parts[4].array ?? []).compactMap(\.string) : []
        return RecoveryReport(
            requeued: counts[0], dead: counts[1], workers: counts[2], refused: counts[3] == 1,
            deadWithCallback: pushed)
    }

    /// Removes `worker` from the live workers when its processing list is empty (at the end of
    /// a graceful shutdown). If it still holds jobs it stays, so recovery returns them later.
    @discardableResult
    public func retire(queue: String, worker: String) async throws(JobQueueError) -> Bool {
        let k = keys(queue)
        return try await run(JobQueueScripts.retire, keys: [k.workers, k.processing(worker)], arguments: [worker]).int == 1
    }

    /// The ids in `worker`'s processing list.
    public func held(queue: String, worker: String) async throws(JobQueueError) -> [String] {
        do {
            return try await redis.send("LRANGE", keys(queue).processing(worker), "0", "-1").array?.compactMap(\.string) ?? []
        } catch {
            throw .redis(error)
        }
    }

    /// Returns ids that `worker` holds in Redis but not in memory (a reply lost to a broken
    /// connection) to the head of the ready list. Callers pass only ids seen orphaned twice,
    /// some time apart, so a reserve in progress is never taken. Returns how many went back.
    @discardableResult
    public func reclaimOrphans(queue: String, worker: String, ids: [String]) async throws(JobQueueError) -> Int {
        guard !ids.isEmpty else { return 0 }
        let k = keys(queue)
        let reply = try await run(
            JobQueueScripts.reclaimOrphans, keys: [k.processing(worker), k.ready, k.sequence],
            arguments: [k.job(""), worker, k.events] + ids)
        return Int(reply.int ?? 0)
    }
}
