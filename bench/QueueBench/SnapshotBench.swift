import Foundation
import OzhQueue
import OzhRedis

/// `BENCH_MODE=snapshot`: the cost of ``JobQueue/snapshot(id:)`` (the Redis half of
/// `GET /jobs/{id}` for a queued job) with a short and a long ready list. For each backlog it
/// enqueues the jobs, then polls the newest one (the last in line) `rounds` times one after
/// the other and reads Redis' own time per call (`INFO commandstats`, `cmdstat_evalsha`), which
/// no client-side noise reaches, then polls with 32 concurrent callers for a rate; the same for
/// the script the snapshot used before tickets (HGETALL + LPOS), side by side.
func snapshotBench(redis: RedisClient, backlogs: [Int], rounds: Int) async throws {
    print("snapshot of the newest queued job (last in line), \(rounds) sequential polls per backlog, then 32 concurrent")
    for backlog in backlogs {
        let prefix = "bench:snap:\(UInt32.random(in: 0...UInt32.max)):"
        let queue = JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: prefix))
        var last = ""
        var first = 0
        while first < backlog {
            let count = min(1000, backlog - first)
            last = try await queue.enqueue((0..<count).map { _ in try NewJob(.probeCount, payload: ProbeCount()) }, queue: "snap").last!
            first += count
        }
        let target = last
        // The script before tickets (2026-11-27): HGETALL, then LPOS over the whole ready list.
        let before = RedisScript(
            name: "bench.snapshot_lpos",
            source: """
                local h = redis.call('HGETALL', KEYS[1])
                if #h == 0 then return {{}, -1} end
                local status, queue
                for i = 1, #h, 2 do
                  if h[i] == 'status' then status = h[i + 1] elseif h[i] == 'queue' then queue = h[i + 1] end
                end
                local ahead = -1
                if status == 'queued' and queue then
                  local ready = ARGV[1] .. 'queue:' .. queue
                  local i = redis.call('LPOS', ready, ARGV[2], 'RANK', -1)
                  if i then ahead = redis.call('LLEN', ready) - 1 - i end
                end
                return {h, ahead}
                """)
        let cases: [(String, @Sendable () async throws -> Int?)] = [
            (
                "before (LPOS)",
                { try await redis.run(before, keys: [prefix + "job:" + target], arguments: [prefix, target]).array?[1].int.map(Int.init) }
            ),
            ("now (tickets)", { try await queue.snapshot(id: target)?.queuePosition }),
        ]
        for (name, call) in cases {
            _ = try await call() // loads the script
            try await redis.send("CONFIG", "RESETSTAT")
            let start = ContinuousClock.now
            var position: Int?
            for _ in 0..<rounds { position = try await call() }
            let sequential = ContinuousClock.now - start
            let stats = try await redis.send("INFO", "commandstats").string ?? ""
            let line = stats.split(whereSeparator: \.isNewline).first { $0.hasPrefix("cmdstat_evalsha:") } ?? ""
            let serverMicros = line.split(separator: ",").first { $0.hasPrefix("usec_per_call=") }?.split(separator: "=").last ?? "?"
            let concurrentStart = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<32 {
                    group.addTask { for _ in 0..<(rounds / 32) { _ = try await call() } }
                }
                try await group.waitForAll()
            }
            let concurrent = ContinuousClock.now - concurrentStart
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            print(
                String(
                    format: "backlog %7d  %@  position %@  Redis %@ µs per call  sequential %.1f µs per call  32 concurrent %.0f calls/s",
                    backlog, name, position.map(String.init) ?? "nil", String(serverMicros),
                    seconds(sequential) / Double(rounds) * 1e6, Double(rounds / 32 * 32) / seconds(concurrent)))
        }
        await deletePrefix(redis, prefix)
    }
}

/// Deletes every key under `prefix`.
func deletePrefix(_ redis: RedisClient, _ prefix: String) async {
    let keys = (try? await redis.send("KEYS", prefix + "*").array?.compactMap(\.string)) ?? []
    for chunk in stride(from: 0, to: keys.count, by: 500) {
        _ = try? await redis.send(["DEL"] + keys[chunk..<min(keys.count, chunk + 500)])
    }
}
