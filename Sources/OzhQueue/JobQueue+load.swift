import Foundation
import OzhRedis

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
    /// `created_at` (ms, ascending) of up to ``sampleSize`` delayed jobs picked at random (all of
    /// them when there are no more): due retries are promoted oldest first, so a job's place
    /// among the delayed ones is how many are older than it (``delayedOlder(than:)``).
    public var delayedCreated: [Int64]
    /// Redis' clock when it was read (ms).
    public var now: Int64

    /// How many delayed jobs' creation times a load read samples.
    public static let sampleSize = 256

    public init(ready: Int = 0, delayed: Int = 0, busy: Int = 0, liveWorkers: Int = 0, delayedCreated: [Int64] = [], now: Int64 = 0) {
        self.now = now
        self.ready = ready
        self.delayed = delayed
        self.busy = busy
        self.liveWorkers = liveWorkers
        self.delayedCreated = delayedCreated.sorted()
    }

    /// About how many delayed jobs were created before `date`: exact up to ``sampleSize``
    /// delayed jobs, else estimated from the sample (±√n). With no sample, all of them.
    public func delayedOlder(than date: Date) -> Int {
        guard !delayedCreated.isEmpty else { return delayed }
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var low = 0, high = delayedCreated.count // the first index not older
        while low < high {
            let middle = (low + high) / 2
            if delayedCreated[middle] < ms { low = middle + 1 } else { high = middle }
        }
        return Int((Double(low) / Double(delayedCreated.count) * Double(delayed)).rounded())
    }
}

extension JobQueue {
    /// `queue`'s ``QueueLoad`` now.
    public func load(queue: String) async throws(JobQueueError) -> QueueLoad {
        let k = keys(queue)
        let reply = try await run(
            JobQueueScripts.load, keys: [k.ready, k.delayed, k.workers],
            arguments: [
                String(configuration.workerDeadAfter.wholeMilliseconds), k.processing(""), k.job(""),
                String(QueueLoad.sampleSize),
            ])
        guard let parts = reply.array, parts.count == 6 else { return QueueLoad() } // not this script's reply: nothing known
        let values = parts.prefix(4).map { Int($0.int ?? 0) }
        let created = parts[4].array?.compactMap { $0.string.flatMap { Int64($0) } } ?? []
        return QueueLoad(
            ready: values[0], delayed: values[1], busy: values[2], liveWorkers: values[3], delayedCreated: created,
            now: parts[5].int ?? 0)
    }
}

extension JobQueueScripts {
    /// `Lua/queue.load.lua` (its header: what it takes and answers).
    static let load = script("load", LuaSource.text(PackageResources.queue_load_lua))
}
