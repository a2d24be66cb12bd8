import Foundation
import TestSupport

@testable import OzhRedis

/// A redis-server of the test's own (for restart tests), on a free port, without persistence.
final class PrivateRedis: @unchecked Sendable {
    let port: Int
    private var process: Process?

    init() throws {
        port = try freeLoopbackPort()
        try start()
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Wait until it accepts connections (bounded: 5 s).
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if (try? RedisConnection(configuration: RedisConfiguration(url: url)).command(["PING"])) != nil { return }
            usleep(20_000)
        }
        throw TestSetupError("redis-server on \(port) did not start")
    }

    /// Shuts the server down through its own SHUTDOWN command and waits until the port closes.
    /// (Foundation's `waitUntilExit` can hang inside Swift concurrency on Linux, so it is not used.)
    func stop() {
        guard process != nil else { return }
        if let connection = try? RedisConnection(configuration: RedisConfiguration(url: url)) {
            _ = try? connection.command(["SHUTDOWN", "NOSAVE"])
        }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, (try? RedisConnection(configuration: RedisConfiguration(url: url))) != nil {
            usleep(20_000)
        }
        process = nil
    }

    deinit { stop() }

    private static var binary: String { Executables.which("redis-server") ?? "/usr/bin/redis-server" }
}
