import Foundation
import TestSupport

@testable import OzhMongo
@testable import OzhRedis

/// The fault suite's own Redis and SecantusDB, which it kills and restarts: Redis with AOF and
/// `appendfsync always`, SecantusDB on disk, both in a temporary directory on free ports. A
/// restart reuses the port and the data, as a crashed server restarted by its supervisor would.
final class FaultServers: @unchecked Sendable {
    let directory: URL
    let redisPort: Int
    let mongoPort: Int
    private var redis: ServerProcess
    private var mongo: ServerProcess
    private var starts = 0

    var redisURL: String { "redis://127.0.0.1:\(redisPort)/0" }
    var mongoURI: String { "mongodb://127.0.0.1:\(mongoPort)" }

    /// The SecantusDB launcher: `OZH_TEST_SECANTUS`, else the repository's `.venv/bin/secantusd-py`.
    static var secantusBinary: String { TestServers.secantusBinary }

    /// `redis-server` from `PATH`.
    static var redisBinary: String? { Executables.which("redis-server") }

    private init(directory: URL, redisPort: Int, mongoPort: Int, redis: ServerProcess, mongo: ServerProcess) {
        self.directory = directory
        self.redisPort = redisPort
        self.mongoPort = mongoPort
        self.redis = redis
        self.mongo = mongo
    }

    /// Starts both servers and waits (bounded) until they answer.
    static func start() async throws -> FaultServers {
        guard let redisBinary else { throw TestSetupError("redis-server is not on PATH") }
        guard FileManager.default.isExecutableFile(atPath: secantusBinary) else {
            throw TestSetupError("SecantusDB not found at \(secantusBinary) (set OZH_TEST_SECANTUS)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ozh-faults-\(UUID().uuidString.prefix(8))")
        for sub in ["redis", "mongo", "logs"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let redisPort = try freeLoopbackPort(), mongoPort = try freeLoopbackPort()
        let redis = try launch(redisBinary, redisArguments(redisPort, directory), directory, "redis-0.log")
        let mongo = try launch(secantusBinary, mongoArguments(mongoPort, directory), directory, "secantus-0.log")
        let servers = FaultServers(directory: directory, redisPort: redisPort, mongoPort: mongoPort, redis: redis, mongo: mongo)
        do {
            try await servers.waitForRedis(within: .seconds(20))
            try await servers.waitForMongo(within: .seconds(60))
        } catch {
            servers.stop()
            throw error
        }
        return servers
    }

    /// SIGKILLs Redis, waits `pause`, starts it again on the same AOF directory and waits until
    /// it answers. Returns how long it was unreachable.
    func crashAndRestartRedis(pause: Duration) async throws -> Duration {
        let down = ContinuousClock.now
        redis.send(SIGKILL)
        guard await redis.waitForExit(within: .seconds(10)) else {
            throw TestSetupError("redis-server survived SIGKILL")
        }
        try await Task.sleep(for: pause)
        starts += 1
        redis = try Self.launch(Self.redisBinary!, Self.redisArguments(redisPort, directory), directory, "redis-\(starts).log")
        try await waitForRedis(within: .seconds(20))
        return ContinuousClock.now - down
    }

    /// Stops SecantusDB with SIGTERM (without `--sync-on-commit` a SIGKILL may lose
    /// acknowledged writes, as `mongod` with `j: false` would), waits `pause`, starts it again
    /// on the same storage and waits until it answers. Returns how long it was unreachable.
    func restartMongo(pause: Duration) async throws -> Duration {
        let down = ContinuousClock.now
        mongo.send(SIGTERM)
        guard await mongo.waitForExit(within: .seconds(30)) else {
            throw TestSetupError("SecantusDB did not stop within 30 s of SIGTERM")
        }
        try await Task.sleep(for: pause)
        starts += 1
        mongo = try Self.launch(Self.secantusBinary, Self.mongoArguments(mongoPort, directory), directory, "secantus-\(starts).log")
        try await waitForMongo(within: .seconds(60))
        return ContinuousClock.now - down
    }

    /// Sends `signal` to redis-server (SIGSTOP / SIGCONT: a stall, not a crash).
    func signalRedis(_ signal: Int32) { redis.send(signal) }

    /// Sends `signal` to SecantusDB.
    func signalMongo(_ signal: Int32) { mongo.send(signal) }

    /// Kills both servers and deletes their data (logs too unless `keepLogs`).
    func stop(keepLogs: Bool = false) {
        for process in [redis, mongo] where process.isRunning { process.send(SIGKILL) }
        for sub in ["redis", "mongo"] { try? FileManager.default.removeItem(at: directory.appendingPathComponent(sub)) }
        if !keepLogs { try? FileManager.default.removeItem(at: directory) }
    }

    private func waitForRedis(within limit: Duration) async throws {
        let client = try RedisClient(url: redisURL)
        defer { client.shutdown() }
        let deadline = ContinuousClock.now + limit
        while (try? await client.send("PING"))?.string != "PONG" {
            guard redis.isRunning, ContinuousClock.now < deadline else { throw TestSetupError("redis-server did not start") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func waitForMongo(within limit: Duration) async throws {
        let uri = "mongodb://127.0.0.1:\(mongoPort)/?serverSelectionTimeoutMS=500&connectTimeoutMS=500"
        let client = try MongoClient(uri: uri, database: "admin")
        defer { client.shutdown() }
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                try await client.ping()
                return
            } catch {
                guard mongo.isRunning, ContinuousClock.now < deadline else { throw TestSetupError("SecantusDB did not start: \(error)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static func redisArguments(_ port: Int, _ directory: URL) -> [String] {
        [
            "--port", "\(port)", "--bind", "127.0.0.1", "--dir", directory.appendingPathComponent("redis").path,
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
        ]
    }

    private static func mongoArguments(_ port: Int, _ directory: URL) -> [String] {
        [
            "--host", "127.0.0.1", "--port", "\(port)", "--storage-path", directory.appendingPathComponent("mongo").path,
            "--log-level", "WARNING",
        ]
    }

    private static func launch(_ binary: String, _ arguments: [String], _ directory: URL, _ log: String) throws -> ServerProcess {
        try ServerProcess(binary, arguments, log: directory.appendingPathComponent("logs").appendingPathComponent(log))
    }
}

/// A server started with `posix_spawn` and a clean signal mask and dispositions.
///
/// Foundation's `Process` started from a Swift concurrency thread hands the child that
/// thread's mask, in which every signal is blocked: a Python server started that way never
/// sees SIGTERM. Output goes to `log`.
final class ServerProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var exited = false

    init(_ binary: String, _ arguments: [String], log: URL) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, binary, &actions, &attributes, argv, environ)
        guard status == 0 else { throw TestSetupError("cannot start \(binary): \(String(cString: strerror(status)))") }
        self.pid = pid
    }

    /// Whether it still runs (reaps it once it has ended).
    var isRunning: Bool {
        lock.withLock {
            if exited { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) { exited = true }
            return !exited
        }
    }

    func send(_ signal: Int32) { if isRunning { kill(pid, signal) } }

    /// Waits (bounded) until it has ended; false on time-out.
    func waitForExit(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return !isRunning
    }
}
