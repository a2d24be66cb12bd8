import Foundation
import TestSupport

/// Runs `ozh-admin audit` as an operator would, as a real process over MongoDB alone (no
/// `REDIS_URL` is given), against database `database` of `mongoURI`; `arguments` are added
/// after `audit` (e.g. `["--json"]`, `["--grace-seconds", "0"]`).
///
/// Returns the exit status (0 no problem, 1 problems, 2 the audit could not run) and stdout
/// and stderr together. Throws when the process cannot start or does not exit within 60 s.
func runAudit(mongoURI: String, database: String, arguments: [String] = []) async throws -> (status: Int32, output: String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: log) }
    FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = TestPackage.binDirectory.appendingPathComponent("ozh-admin")
    process.arguments = ["audit"] + arguments
    process.environment = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "OZH_ENV_FILE": "/nonexistent/.env",
        "MONGO_URI": mongoURI, "MONGO_DB_NAME": database,
        ProcessLifecycleTests.mongoSharedMemoryOff.key: ProcessLifecycleTests.mongoSharedMemoryOff.value,
    ]
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    guard let status = await Executables.waitForExit(process, within: .seconds(60)) else {
        process.terminate()
        throw TestSetupError("ozh-admin audit did not exit within 60 s")
    }
    return (status, try String(contentsOf: log, encoding: .utf8))
}
