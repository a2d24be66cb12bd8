import Foundation
import TestSupport
import Testing

/// The real executables: they start from settings, refuse bad settings in one line, and stop
/// cleanly on SIGTERM.
@Suite("Process lifecycle", .serialized, .needsServers)
struct ProcessLifecycleTests {
    /// libmongoc (Debian's build initialises itself when it is loaded, before `main`) maps
    /// `/dev/shm/mongoc-<pid>` for its counters unless `MONGOC_DISABLE_SHM` is set, and a killed
    /// process leaves that file behind. A later process given the same pid then prints "Falling
    /// back to malloc for counters" before anything of ours runs: an extra line in a one-line
    /// start-up error, on a machine that has run enough processes. Every environment we start
    /// our executables in sets it.
    static let mongoSharedMemoryOff = (key: "MONGOC_DISABLE_SHM", value: "1")

    static func environment(_ extra: [String: String]) throws -> [String: String] {
        let env = ProcessInfo.processInfo.environment
        var values = [
            "PATH": env["PATH"] ?? "/usr/bin:/bin", "REDIS_URL": try TestServers.redisURL, "MONGO_URI": try TestServers.mongoURI,
            "MONGO_DB_NAME": "proc_\(UInt32.random(in: 0...UInt32.max))", "OZH_ENV_FILE": "/nonexistent/.env",
            "LOG_LEVEL": "info", "YOOKASSA_SHOP_ID": "123456", "YOOKASSA_SECRET_KEY": "test_process-secret-key",
            "TELEGRAM_BOT_USERNAME": "OzhTestBot",
            // Many workers run at once: none opens a metrics port unless a test asks.
            "METRICS_PORT": "0",
            // As everywhere our processes run (Dockerfile, local.sh): see `mongoSharedMemoryOff`.
            mongoSharedMemoryOff.key: mongoSharedMemoryOff.value,
        ]
        values.merge(extra) { $1 }
        return values
    }

    @Test(arguments: ["ozh-generation-worker", "ozh-payment-worker"])
    func workerStopsCleanlyOnSIGTERM(_ name: String) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).log")
        let process = try Executables.launch(name, try Self.environment(["GEMINI_API_KEYS_STR": "p1:process-test-gemini-key"]), log: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForLog(log, containing: "waiting for jobs", within: .seconds(30)))
        kill(process.processIdentifier, SIGTERM)
        #expect(await Executables.waitForExit(process, within: .seconds(15)) == 0)
        let content = try String(contentsOf: log, encoding: .utf8)
        #expect(content.contains("stopping"))
        #expect(!content.contains("process-test-gemini-key"), "a Gemini key must never be logged")
        #expect(!content.contains("process-secret-key"), "the YooKassa secret must never be logged")
    }

    @Test func gatewayServesThenStopsCleanlyOnSIGTERM() async throws {
        let port = try freeLoopbackPort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString).log")
        let secret = "process-test-key-0123456789"
        let process = try Executables.launch(
            "ozh-gateway",
            try Self.environment([
                "API_KEY": secret, "PORT": "\(port)", "HOST": "127.0.0.1",
                "GEMINI_PROJECTS": "p1",
            ]), log: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForLog(log, containing: "listening", within: .seconds(30)))
        kill(process.processIdentifier, SIGTERM)
        #expect(await Executables.waitForExit(process, within: .seconds(15)) == 0)
        let content = try String(contentsOf: log, encoding: .utf8)
        #expect(!content.contains(secret), "the API key must never be logged")
    }

    @Test func badSettingsStopStartUpWithOneLineNamingTheVariable() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).log")
        let process = try Executables.launch("ozh-gateway", try Self.environment(["API_KEY": "k-0123456789abcdef", "PORT": "eighty"]), log: log)
        #expect(await Executables.waitForExit(process, within: .seconds(15)) == 2)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("PORT is invalid") == true)
        let noKey = try Executables.launch("ozh-gateway", try Self.environment([:]), log: log)
        #expect(await Executables.waitForExit(noKey, within: .seconds(15)) == 2)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("API_KEY is not set"))
    }

    /// The sandbox and the queue probe read their settings with the same reader as the services
    /// (``SettingsSource``) and refuse a malformed value the same way: exit 2 and one line
    /// `<process>: <VARIABLE> is invalid: …`. Before, the probe silently fell back to its
    /// defaults, and the sandbox had a reader of its own with other messages.
    @Test(arguments: [
        ("ozh-sandbox", "SANDBOX_PORT", "eighty"), ("ozh-sandbox", "SANDBOX_GEMINI_ERROR_RATE", "often"),
        ("ozh-queue-probe", "OZH_CONCURRENCY", "many"), ("ozh-queue-probe", "OZH_HEARTBEAT_MS", "-5"),
        ("ozh-queue-probe", "LOG_LEVEL", "loud"),
    ])
    func everyProcessRefusesAMalformedSettingInOneLine(_ name: String, _ variable: String, _ value: String) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(name)-\(UUID().uuidString).log")
        let process = try Executables.launch(name, try Self.environment([variable: value]), log: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForExit(process, within: .seconds(15)) == 2)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("\(name): \(variable) is invalid: "), "\(lines)")
    }

    @Test func aGatewayThatCannotKnowTheGeminiProjectsRefusesToStart() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("noproj-\(UUID().uuidString).log")
        let base = ["API_KEY": "k-0123456789abcdef", "PORT": "0", "HOST": "127.0.0.1"]
        let none = try Executables.launch("ozh-gateway", try Self.environment(base), log: log)
        defer { if none.isRunning { kill(none.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForExit(none, within: .seconds(15)) == 2)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("GEMINI_PROJECTS is invalid: not set"))
        let secret = "AIza-secret-with space"
        let malformed = try Executables.launch(
            "ozh-gateway", try Self.environment(base.merging(["GEMINI_API_KEYS_STR": "p1:\(secret)"]) { $1 }),
            log: log)
        defer { if malformed.isRunning { kill(malformed.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForExit(malformed, within: .seconds(15)) == 2)
        let content = try String(contentsOf: log, encoding: .utf8)
        #expect(content.contains("GEMINI_API_KEYS_STR is invalid"), "\(content)")
        #expect(!content.contains(secret), "the key is never printed")
        let badName = try Executables.launch("ozh-gateway", try Self.environment(base.merging(["GEMINI_PROJECTS": "p1,bad name!"]) { $1 }), log: log)
        defer { if badName.isRunning { kill(badName.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForExit(badName, within: .seconds(15)) == 2)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("GEMINI_PROJECTS is invalid"))
    }

    /// The generation worker refuses its Gemini settings as the gateway does: malformed keys,
    /// or a GEMINI_PROJECTS naming other projects than the keys, stop it in one line, exit 2.
    @Test func aGenerationWorkerWithKeysOfOtherProjectsRefusesToStart() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("workerproj-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let secret = "AIza-worker-key-0123456789"
        for (values, message) in [
            (["GEMINI_API_KEYS_STR": "p1:\(secret)", "GEMINI_PROJECTS": "p2"], "GEMINI_PROJECTS is invalid: names other projects"),
            (["GEMINI_API_KEYS_STR": "p1:"], "GEMINI_API_KEYS_STR is invalid"),
        ] {
            let worker = try Executables.launch("ozh-generation-worker", try Self.environment(values), log: log)
            defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
            #expect(await Executables.waitForExit(worker, within: .seconds(15)) == 2)
            let content = try String(contentsOf: log, encoding: .utf8)
            #expect(content.contains("ozh-generation-worker: \(message)"), "\(content)")
            #expect(!content.contains(secret), "the key is never printed")
        }
    }
}
