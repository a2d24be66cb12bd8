import Foundation
import OzhQueue
import OzhRedis

/// The peers' method (`../shared/peers/queues/bench_queues.py`), for a like-for-like ratio with
/// Celery: `count` no-op jobs are queued before any worker starts; once they have run, the rate
/// is (jobs − 1) / (last completion − first completion), so enqueueing and start-up are left out
/// as the peers leave them out. Completion times are the `finished_at` the queue's script stamps
/// from Redis' clock (ms), read back from the job records after the run, as Celery's
/// `task_postrun` stamps are read after its run; the handler itself does no I/O.
struct NoopBench {
    let queue: JobQueue
    let redis: RedisClient
    /// The queue's key prefix (job hashes are `<prefix>job:<id>`).
    let prefix: String
    let queueName: String
    let count: Int

    /// Queues the jobs (pipelined batches of 500) and answers their ids; run before the workers start.
    func enqueue() async throws -> [String] {
        var ids: [String] = []
        var first = 0
        while first < count {
            let batch = min(500, count - first)
            ids += try await queue.enqueue((0..<batch).map { _ in try NewJob(.probeNoop, payload: EmptyJSON(), maxAttempts: 3) }, queue: queueName)
            first += batch
        }
        return ids
    }

    /// Waits (bounded) until the queue is empty, then reads the records: the rate, and whether
    /// each job succeeded on its first and only attempt (a job taken twice would show 2).
    func measure(_ ids: [String], within limit: Duration) async throws -> (rate: Double, once: Bool, finished: Int, maxAttempts: Int) {
        // As the peers' script waits for an empty broker list: a cheap poll while the jobs run,
        // the records read once they have.
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let stats = try await queue.stats(queue: queueName)
            if stats.ready + stats.processing + stats.delayed == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let records = try await read(ids)
        let stamps = records.compactMap(\.finished).sorted()
        let seconds = Double((stamps.last ?? 0) - (stamps.first ?? 0)) / 1000
        let once = records.count == count && records.allSatisfy { $0.status == "succeeded" && $0.attempts == 1 }
        return (seconds > 0 ? Double(stamps.count - 1) / seconds : 0, once, stamps.count, records.map(\.attempts).max() ?? 0)
    }

    private func read(_ ids: [String]) async throws -> [(status: String, attempts: Int, finished: Int64?)] {
        var records: [(status: String, attempts: Int, finished: Int64?)] = []
        for chunk in stride(from: 0, to: ids.count, by: 1000) {
            let commands = ids[chunk..<min(ids.count, chunk + 1000)].map {
                ["HMGET", prefix + "job:" + $0, "status", "attempts", "finished_at"]
            }
            for reply in try await redis.pipeline(commands) {
                let fields = reply.array ?? []
                let status = fields.first?.string ?? ""
                let attempts = fields.count > 1 ? Int(fields[1].string ?? "") ?? 0 : 0
                let finished = fields.count > 2 ? fields[2].string.flatMap { Int64($0) } : nil
                records.append((status, attempts, status == "succeeded" ? finished : nil))
            }
        }
        return records
    }
}
