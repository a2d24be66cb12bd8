import Foundation
import OzhRedis

/// Counts of one queue, for `/metrics`, KEDA and operators.
public struct QueueStats: Sendable, Equatable {
    /// A worker seen in `<p>workers:<q>`.
    public struct Worker: Sendable, Equatable {
        /// The worker id.
        public var id: String
        /// Its last heartbeat.
        public var lastHeartbeat: Date
        /// How many jobs it holds.
        public var processing: Int
    }

    /// Jobs in the ready list (the backlog).
    public var ready: Int
    /// Jobs held by workers (all processing lists of known workers).
    public var processing: Int
    /// Jobs waiting in the delayed set.
    public var delayed: Int
    /// Jobs in the dead list.
    public var dead: Int
    /// Workers whose heartbeat is recent enough, newest first.
    public var liveWorkers: [Worker]
    /// Workers presumed dead but not yet recovered.
    public var staleWorkers: [Worker]
}

extension JobQueue {
    /// The job `id`, or nil when it does not exist (never enqueued, or expired).
    public func job(id: String) async throws(JobQueueError) -> Job? {
        let reply: RedisReply
        do {
            reply = try await redis.send("HGETALL", "\(configuration.prefix)job:\(id)")
        } catch {
            throw .redis(error)
        }
        let fields = reply.pairs
        return fields.isEmpty ? nil : try Job(fields: fields)
    }

    /// Stores `progress` (JSON) in the job's hash. Returns false when the job does not exist.
    @discardableResult
    public func setProgress(id: String, progress: String) async throws(JobQueueError) -> Bool {
        try await run(JobQueueScripts.setProgress, keys: ["\(configuration.prefix)job:\(id)"], arguments: [progress]).int == 1
    }

    /// How many jobs are ahead of `id` in the ready list (0 = next), or nil when it is not queued.
    /// Read from ticket counters in O(1), never by scanning the list: see ``JobQueue/snapshot(id:)``
    /// for when the figure is exact.
    public func queuePosition(id: String, queue: String) async throws(JobQueueError) -> Int? {
        let k = keys(queue)
        let position = try await run(JobQueueScripts.position, keys: [k.job(id), k.ready, k.sequence], arguments: []).int ?? -1
        return position < 0 ? nil : Int(position)
    }

    /// Counts ready, processing, delayed and dead jobs and lists the workers.
    public func stats(queue: String) async throws(JobQueueError) -> QueueStats {
        let k = keys(queue)
        do {
            let first = try await redis.pipeline([
                ["LLEN", k.ready], ["ZCARD", k.delayed], ["LLEN", k.dead], ["ZRANGE", k.workers, "0", "-1", "WITHSCORES"], ["TIME"],
            ])
            let pairs = first[3].array ?? []
            var ids: [(String, Int64)] = []
            var index = 0
            while index + 1 < pairs.count {
                if let id = pairs[index].string { ids.append((id, pairs[index + 1].int ?? Int64(pairs[index + 1].string.flatMap(Double.init) ?? 0))) }
                index += 2
            }
            let time = first[4].array ?? []
            let nowMs = (time.first?.int ?? 0) * 1000 + (time.count > 1 ? (time[1].int ?? 0) / 1000 : 0)
            let held = try await redis.pipeline(ids.map { ["LLEN", k.processing($0.0)] })
            var stats = QueueStats(
                ready: Int(first[0].int ?? 0), processing: 0, delayed: Int(first[1].int ?? 0),
                dead: Int(first[2].int ?? 0), liveWorkers: [], staleWorkers: [])
            let deadline = nowMs - configuration.workerDeadAfter.wholeMilliseconds
            for (offset, (id, beat)) in ids.enumerated().reversed() {
                let count = Int(held[offset].int ?? 0)
                stats.processing += count
                let worker = QueueStats.Worker(id: id, lastHeartbeat: Date(timeIntervalSince1970: Double(beat) / 1000), processing: count)
                if beat >= deadline { stats.liveWorkers.append(worker) } else { stats.staleWorkers.append(worker) }
            }
            return stats
        } catch {
            throw .redis(error)
        }
    }

    /// Moves up to `limit` jobs from the dead list back to the ready list with their attempts
    /// reset (status `queued`, TTL removed). Returns how many.
    @discardableResult
    public func requeueDead(queue: String, limit: Int = 100) async throws(JobQueueError) -> Int {
        let k = keys(queue)
        let reply = try await run(
            JobQueueScripts.requeueDead, keys: [k.dead, k.ready, k.sequence],
            arguments: [String(max(1, limit)), k.job(""), k.events])
        return Int(reply.int ?? 0)
    }

    /// Empties the dead list and deletes the hashes of its failed jobs. Returns how many ids it held.
    @discardableResult
    public func purgeDead(queue: String) async throws(JobQueueError) -> Int {
        let k = keys(queue)
        var total = 0
        while true {
            let removed = Int(try await run(JobQueueScripts.purgeDead, keys: [k.dead], arguments: ["500", k.job("")]).int ?? 0)
            total += removed
            if removed < 500 { return total }
        }
    }
}
