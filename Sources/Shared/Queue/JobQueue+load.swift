import Foundation

/// How loaded a queue is now, for estimates (`eta_seconds`): read in one script, O(live workers).
public struct QueueLoad: Sendable, Equatable {
    /// Jobs in the ready list.
    public var ready: Int
    /// Jobs in the delayed set (retrying after an error, or waiting for quota).
    public var delayed: Int
    /// Jobs live workers hold (processing).
    public var busy: Int
    /// Workers whose last heartbeat is younger than the dead-after time.
    public var liveWorkers: Int

    public init(ready: Int = 0, delayed: Int = 0, busy: Int = 0, liveWorkers: Int = 0) {
        self.ready = ready
        self.delayed = delayed
        self.busy = busy
        self.liveWorkers = liveWorkers
    }
}

extension JobQueue {
    /// `queue`'s ``QueueLoad`` now.
    public func load(queue: String) async throws(JobQueueError) -> QueueLoad {
        let k = keys(queue)
        let reply = try await run(JobQueueScripts.load, keys: [k.ready, k.delayed, k.workers],
                                  arguments: [String(configuration.workerDeadAfter.wholeMilliseconds), k.processing("")])
        let values = reply.array?.map { Int($0.int ?? 0) } ?? []
        guard values.count == 4 else { return QueueLoad() }  // not this script's reply: nothing known
        return QueueLoad(ready: values[0], delayed: values[1], busy: values[2], liveWorkers: values[3])
    }

    /// Jobs of `queue`'s delayed set due before `date` (a retrying job's rivals once promoted).
    public func delayedAhead(queue: String, before date: Date) async throws(JobQueueError) -> Int {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        do {
            return Int(try await redis.send(["ZCOUNT", keys(queue).delayed, "-inf", "(\(ms)"]).int ?? 0)
        } catch {
            throw .redis(error)
        }
    }
}

extension JobQueueScripts {
    /// KEYS: ready, delayed, workers. ARGV: dead_after_ms, processing key prefix. Returns {ready, delayed, busy, live workers}.
    static let load = script("load", """
    local live = redis.call('ZRANGEBYSCORE', KEYS[3], fmt(now_ms() - tonumber(ARGV[1])), '+inf')
    local busy = 0
    for _, w in ipairs(live) do busy = busy + redis.call('LLEN', ARGV[2] .. w) end
    return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), busy, #live}
    """)
}
