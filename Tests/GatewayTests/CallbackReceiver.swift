import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import APIGateway

/// A real receiver process (deploy/callback-receiver/receiver.py) that checks every delivery with
/// the Standard Webhooks reference verifier (`standardwebhooks` from PyPI, in `OZH_TEST_VENV`)
/// and records each request as a JSON line.
final class CallbackReceiver: @unchecked Sendable {

    static let secret = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
    static let nextSecret = "whsec_" + Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()

    let port: Int
    let process: Process
    let log: URL

    /// Starts a receiver verifying with `secrets`; `arguments` adds `--fail-first N` or `--redirect URL`.
    init(secrets: [String] = [secret], arguments: [String] = []) async throws {
        let venv = try #require(TestServers.venv)
        port = try freeLoopbackPort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ozh-cb-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        log = directory.appendingPathComponent("deliveries.jsonl")
        let script = TestPackage.root.appendingPathComponent("deploy/callback-receiver/receiver.py")
        let output = directory.appendingPathComponent("receiver.out")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "\(venv)/bin/python")
        process.arguments = [script.path, "--port", "\(port)", "--log", log.path] + secrets.flatMap { ["--secret", $0] } + arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        guard await Executables.waitForLog(output, containing: "listening", within: .seconds(20)) else {
            throw TestSetupError("the receiver did not start: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
        }
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/ozh" }

    /// Every request recorded so far.
    var records: [[String: Any]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits (bounded) until `predicate` holds for the records; returns them.
    @discardableResult
    func wait(within limit: Duration = .seconds(30), until predicate: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + limit
        while true {
            let records = self.records
            if predicate(records) { return records }
            guard ContinuousClock.now < deadline else { throw TestSetupError("the receiver did not get what was expected: \(records)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: log.deletingLastPathComponent())
    }
}

enum CallbackTestSupport {
    /// The settings the gateway and the payment worker share in these tests.
    static func settings(secrets: String = CallbackReceiver.secret, allowed: String = "127.0.0.1") -> [String: String] {
        ["JOB_CALLBACK_SECRET": secrets, "CALLBACK_ALLOWED_HOSTS": allowed, "CALLBACK_RETRY_BASE_MS": "300"]
    }

    /// A payment worker (it runs the callback deliveries) with the sandbox as YooKassa.
    @discardableResult
    static func startDeliveries(
        _ stack: GenerationStack, _ services: GatewayServices,
        _ extra: [String: String] = settings()
    ) async throws -> Process {
        var env = extra
        env["YOOKASSA_BASE_URL"] = stack.geminiBaseURL
        env["YOOKASSA_SHOP_ID"] = "123456"
        env["YOOKASSA_SECRET_KEY"] = "test_process-secret-key"
        env["TELEGRAM_BOT_USERNAME"] = "OzhTestBot"
        return try await stack.startPaymentWorker(services.settings, env)
    }

    /// Waits (bounded) until `GET /jobs/{id}`'s `callback` satisfies `predicate`; returns the job.
    @discardableResult
    static func waitForCallback(
        _ client: any TestClientProtocol, _ jobID: String, within limit: Duration = .seconds(30),
        until predicate: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + limit
        while true {
            let (_, job) = try await client.call(.get, "/jobs/\(jobID)")
            if let callback = job["callback"] as? [String: Any], predicate(callback) { return job }
            guard ContinuousClock.now < deadline else { throw TestSetupError("the callback state never matched: \(job)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

extension TestClientProtocol {
    /// `POST /generate` with `fields` (e.g. `callback_url`) besides `chat_id` and the image.
    func generate(chatID: String, image: Data, fields: [(String, String)]) async throws -> (status: Int, body: [String: Any]) {
        var form = MultipartBody()
        form.field("chat_id", chatID)
        for (name, value) in fields { form.field(name, value) }
        form.file("image", image)
        var headers = GatewayHarness.headers(json: false)
        headers[.contentType] = form.contentType
        return try await execute(uri: "/generate", method: .post, headers: headers, body: ByteBuffer(data: form.data)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), object)
        }
    }
}
