import Foundation

/// Starting child processes and waiting for them with bounded polling: Foundation's
/// `waitUntilExit` can hang inside Swift concurrency on Linux, so nothing here blocks a thread.
public enum Executables {
    /// Starts the package's built executable `name` (from ``TestPackage/binDirectory``) with
    /// exactly `environment`; its stdout and stderr go to `log`, created empty.
    public static func launch(_ name: String, _ environment: [String: String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = TestPackage.binDirectory.appendingPathComponent(name)
        process.environment = environment
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits (bounded) until the process exits; returns its status or nil on time-out.
    public static func waitForExit(_ process: Process, within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Polls `log` every 100 ms until it contains `text`; whether it did within `limit`.
    public static func waitForLog(_ log: URL, containing text: String, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let content = try? String(contentsOf: log, encoding: .utf8), content.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Where `program` is on `PATH`, or nil.
    public static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
