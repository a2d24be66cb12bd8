import Foundation
import TestSupport
import Testing

@testable import OzhQueue
@testable import OzhRedis
@testable import OzhSupport

/// A job queue on the shared test Redis with a fresh key prefix.
func makeTestQueue(workerDeadAfter: Duration = .seconds(15), heartbeatInterval: Duration = .milliseconds(200)) throws
    -> (queue: JobQueue, redis: RedisClient, prefix: String)
{
    let (redis, prefix) = try TestServers.redis()
    let configuration = JobQueueConfiguration(prefix: prefix, heartbeatInterval: heartbeatInterval, workerDeadAfter: workerDeadAfter)
    return (JobQueue(redis: redis, configuration: configuration), redis, prefix)
}

/// Deletes every key under `prefix` (SCAN + DEL).
func deleteKeys(_ redis: RedisClient, prefix: String) async {
    var cursor = "0"
    repeat {
        guard let reply = try? await redis.send("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"),
            let parts = reply.array, parts.count == 2
        else { return }
        cursor = parts[0].string ?? "0"
        let keys = parts[1].array?.compactMap(\.string) ?? []
        if !keys.isEmpty { _ = try? await redis.send(["DEL"] + keys) }
    } while cursor != "0"
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held
/// (an error counts as "not yet").
func eventually(_ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return (try? await condition()) == true
}

/// A SUBSCRIBE on a dedicated connection; `next(_:)` reads messages (bounded by a 3 s socket timeout).
final class EventTap: @unchecked Sendable {
    private let connection: RedisConnection

    init(_ redis: RedisClient, channel: String) async throws {
        let connection = try redis.makeDedicatedConnection(commandTimeout: .seconds(3))
        _ = try await Blocking.run(on: Blocking.redis) { try connection.command(["SUBSCRIBE", channel]) }
        self.connection = connection
    }

    /// The payloads of the next `count` messages.
    func next(_ count: Int) async throws -> [String] {
        let connection = self.connection
        return try await Blocking.run(on: Blocking.redis) {
            var messages: [String] = []
            while messages.count < count {
                let reply = try connection.readReply()
                if let parts = reply.array, parts.count == 3, parts[0].string == "message", let text = parts[2].string {
                    messages.append(text)
                }
            }
            return messages
        }
    }
}

/// An `ozh-queue-probe` child process, started from the test task (so it inherits no blocked
/// signals) and stopped with kill(2) and bounded polling (no `waitUntilExit`).
final class ProbeWorker: @unchecked Sendable {
    let process = Process()
    let log: String

    init(redisURL: String, prefix: String, queue: String, concurrency: Int, extra: [String: String] = [:]) throws {
        guard let binary = Self.binary else {
            throw TestSetupError("ozh-queue-probe is not built: run `swift build --build-tests` first")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = redisURL
        environment["REDIS_PREFIX"] = prefix
        environment["OZH_QUEUE"] = queue
        environment["OZH_CONCURRENCY"] = String(concurrency)
        environment["OZH_HEARTBEAT_MS"] = "200"
        environment["OZH_WORKER_DEAD_AFTER_MS"] = "1500"
        environment["LOG_LEVEL"] = environment["OZH_TEST_PROBE_LOG_LEVEL"] ?? "notice"
        for (key, value) in extra { environment[key] = value }
        process.executableURL = URL(fileURLWithPath: binary)
        process.environment = environment
        log = NSTemporaryDirectory() + "ozh-queue-probe-\(prefix.replacingOccurrences(of: ":", with: "_"))\(UUID().uuidString.prefix(4)).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = FileHandle(forWritingAtPath: log)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: pid_t { process.processIdentifier }

    /// Sends `signal` and waits (bounded) for the exit; returns whether it exited in time.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, within timeout: Duration = .seconds(10)) async -> Bool {
        guard process.isRunning else { return true }
        kill(pid, signal)
        if await Executables.waitForExit(process, within: timeout) == nil {
            kill(pid, SIGKILL)
            return false
        }
        return true
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// `.build/<config>/ozh-queue-probe` under the package root.
    static let binary: String? = {
        let root = TestPackage.root
        let candidates = ["debug", "release", "x86_64-unknown-linux-gnu/debug", "aarch64-unknown-linux-gnu/debug"]
            .map { root.appendingPathComponent(".build/\($0)/ozh-queue-probe").path }
        // Next to the test bundle too (a custom --build-path).
        var bundleDir = Bundle.main.bundleURL
        var extra: [String] = []
        for _ in 0..<3 {
            extra.append(bundleDir.appendingPathComponent("ozh-queue-probe").path)
            bundleDir = bundleDir.deletingLastPathComponent()
        }
        return (extra + candidates).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

/// The heartbeat interval of tests that call `recoverDeadWorkers` themselves. A recoverer whose
/// own beat is older than one interval is refused (a stalled worker must not recover others),
/// and with the 200 ms the runtime tests use, a suite running beside many others took longer
/// than that between its beat and its recovery now and then: refused, and the test failed.
let recovererBeat: Duration = .seconds(3)
