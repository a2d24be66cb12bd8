import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP

/// The whole generation stack for a test: a real `ozh-sandbox` process standing in for Gemini,
/// the gateway (live HTTP, in process) and real `ozh-generation-worker` processes, all on the
/// test Redis and SecantusDB under a fresh prefix and database.
final class GenerationStack: @unchecked Sendable {
    let sandboxPort: Int
    let sandbox: Process
    var workers: [Process] = []
    let logDirectory: URL

    init(sandboxEnvironment: [String: String]) async throws {
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ozh-gen-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        sandboxPort = try freeLoopbackPort()
        var env = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "SANDBOX_PORT": "\(sandboxPort)",
            "SANDBOX_HOST": "127.0.0.1", "LOG_LEVEL": "warning",
            ProcessLifecycleTests.mongoSharedMemoryOff.key: ProcessLifecycleTests.mongoSharedMemoryOff.value,
        ]
        env.merge(sandboxEnvironment) { $1 }
        sandbox = try Executables.launch("ozh-sandbox", env, log: logDirectory.appendingPathComponent("sandbox.log"))
        let deadline = ContinuousClock.now + .seconds(20)
        while (try? await sandboxCall("GET", "/_sandbox/gemini/stats")) == nil {
            guard ContinuousClock.now < deadline else { throw TestSetupError("ozh-sandbox did not start") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    var geminiBaseURL: String { "http://127.0.0.1:\(sandboxPort)" }

    /// Starts a worker sharing the gateway's settings.
    @discardableResult
    func startWorker(_ settings: Settings, _ extra: [String: String] = [:]) async throws -> Process {
        var env = try ProcessLifecycleTests.environment([
            "REDIS_URL": settings.redis.url, "MONGO_URI": settings.mongo.uri, "MONGO_DB_NAME": settings.mongo.database,
            "REDIS_PREFIX": settings.redis.prefix, "GEMINI_BASE_URL": settings.gemini.baseURL,
            "GEMINI_API_KEYS_STR": settings.gemini.keys.joined(separator: ","), "GEMINI_RPM": "\(settings.gemini.rpm)",
            "GEMINI_RPD": "\(settings.gemini.rpd)", "GEMINI_WINDOW_MS": "\(settings.gemini.windowMS)",
            "GEMINI_WINDOW_MARGIN_MS": "\(settings.gemini.windowMarginMS)",
            "MAX_ACTIVE_GENERATIONS": "\(settings.generation.maxActive)", "MAIN_IMAGES": "\(settings.generation.mainImages)",
        ])
        env.merge(extra) { $1 }
        return try await launchWorker("ozh-generation-worker", env)
    }

    /// Starts `binary` and waits (bounded) until it logs that it waits for jobs.
    private func launchWorker(_ binary: String, _ env: [String: String]) async throws -> Process {
        let log = logDirectory.appendingPathComponent("\(binary)-\(workers.count).log")
        let process = try Executables.launch(binary, env, log: log)
        workers.append(process)
        guard await Executables.waitForLog(log, containing: "waiting for jobs", within: .seconds(30)) else {
            throw TestSetupError("\(binary) did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        return process
    }

    /// Starts a payment worker sharing the gateway's settings, with the sandbox as YooKassa.
    @discardableResult
    func startPaymentWorker(_ settings: Settings, _ extra: [String: String] = [:]) async throws -> Process {
        var env = try ProcessLifecycleTests.environment([
            "REDIS_URL": settings.redis.url, "MONGO_URI": settings.mongo.uri, "MONGO_DB_NAME": settings.mongo.database,
            "REDIS_PREFIX": settings.redis.prefix, "YOOKASSA_BASE_URL": settings.yookassa.baseURL,
            "YOOKASSA_SHOP_ID": settings.yookassa.shopID ?? "", "YOOKASSA_SECRET_KEY": settings.yookassa.secretKey ?? "",
            "TELEGRAM_BOT_USERNAME": settings.payments.telegramBotUsername ?? "", "RECONCILE_INTERVAL_MS": "\(settings.reconcile.intervalMS)",
            "RECONCILE_AFTER_MS": "\(settings.reconcile.afterMS)",
            "RECONCILE_BACKOFF_MS": settings.reconcile.backoffMS.map(String.init).joined(separator: ","),
            "RECONCILE_PAGE_SIZE": "\(settings.reconcile.pageSize)", "RECONCILE_NOT_FOUND_LIMIT": "\(settings.reconcile.notFoundLimit)",
            "PAYMENT_CONFIRMATION_EXPIRY_MS": "\(settings.reconcile.confirmationExpiryMS)",
            "WEBHOOK_RECHECK_MS": "\(settings.reconcile.webhookRecheckMS)",
        ])
        env.merge(extra) { $1 }
        return try await launchWorker("ozh-payment-worker", env)
    }

    /// A control call to the sandbox; returns the JSON object.
    @discardableResult
    func sandboxCall(_ method: String, _ path: String, json: String? = nil) async throws -> [String: Any] {
        let client = HTTPClient(configuration: .init(connectTimeout: .seconds(2), totalTimeout: .seconds(10)))
        let response = try await client.execute(
            HTTPRequest(
                method: method, url: "\(geminiBaseURL)\(path)", headers: json == nil ? [] : [("Content-Type", "application/json")],
                body: json.map { Data($0.utf8) }))
        guard response.status < 300 else { throw TestSetupError("sandbox \(path) answered \(response.status)") }
        return (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
    }

    /// Kills every process; deletes the logs unless `keepLogs` (to look into a failure).
    func stop(keepLogs: Bool = false) {
        for process in workers + [sandbox] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if !keepLogs { try? FileManager.default.removeItem(at: logDirectory) }
    }

    /// Runs `body` with a sandbox as YooKassa, a gateway whose webhook the sandbox calls, and
    /// `workers` payment workers.
    static func runPayments<T: Sendable>(
        workers: Int = 1, sandbox: [String: String] = [:], settings extra: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, GatewayServices, GenerationStack) async throws -> T
    ) async throws -> T {
        var sandboxEnvironment = [
            "SANDBOX_YOOKASSA_SHOP_ID": "500123", "SANDBOX_YOOKASSA_SECRET_KEY": "test_sandbox-secret",
            "SANDBOX_YOOKASSA_REDELIVERY_MS": "200,400,800",
        ]
        sandboxEnvironment.merge(sandbox) { $1 }
        let stack = try await GenerationStack(sandboxEnvironment: sandboxEnvironment)
        defer { stack.stop() }
        var settings = [
            "YOOKASSA_BASE_URL": stack.geminiBaseURL, "YOOKASSA_SHOP_ID": "500123",
            "YOOKASSA_SECRET_KEY": "test_sandbox-secret", "TELEGRAM_BOT_USERNAME": "OzhTestBot",
            "YOOKASSA_WEBHOOK_IPS": "127.0.0.1/32,::1/128", "RECONCILE_INTERVAL_MS": "300",
            "RECONCILE_AFTER_MS": "600000",
        ]
        settings.merge(extra) { $1 }
        return try await GatewayHarness.withGateway(settings) { client, services in
            let port = try #require(client.port)
            try await stack.sandboxCall(
                "POST", "/_sandbox/yookassa/config",
                json: #"{"webhook_url": "http://127.0.0.1:\#(port)/webhooks/yookassa"}"#)
            for _ in 0..<workers { try await stack.startPaymentWorker(services.settings) }
            return try await body(client, services, stack)
        }
    }

    /// Runs `body` with a sandbox, a gateway configured for it, and `workers` workers.
    static func run<T: Sendable>(
        workers: Int = 1, sandbox: [String: String] = [:], settings extra: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, GatewayServices, GenerationStack) async throws -> T
    ) async throws -> T {
        var sandboxEnvironment = ["SANDBOX_GEMINI_RPM": "1000", "SANDBOX_GEMINI_RPD": "100000"]
        sandboxEnvironment.merge(sandbox) { $1 }
        let stack = try await GenerationStack(sandboxEnvironment: sandboxEnvironment)
        defer { stack.stop() }
        var settings = [
            "GEMINI_BASE_URL": stack.geminiBaseURL, "GEMINI_API_KEYS_STR": "p1:key-one-aaaa,p2:key-two-bbbb",
            "GEMINI_RPM": "1000", "GEMINI_RPD": "100000", "MAIN_IMAGES": "4",
        ]
        settings.merge(extra) { $1 }
        return try await GatewayHarness.withGateway(settings) { client, services in
            for _ in 0..<workers { try await stack.startWorker(services.settings) }
            return try await body(client, services, stack)
        }
    }
}

/// Builds a `multipart/form-data` body like the seed's curl `-F chat_id=… -F image=@file`.
struct MultipartBody {
    let boundary = "ozhtest\(UInt32.random(in: 0...UInt32.max))"
    var parts: [(name: String, filename: String?, contentType: String?, data: Data)] = []

    mutating func field(_ name: String, _ value: String) { parts.append((name, nil, nil, Data(value.utf8))) }
    mutating func file(_ name: String, _ data: Data, filename: String = "drawing.png", contentType: String = "image/png") {
        parts.append((name, filename, contentType, data))
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    var data: Data {
        var out = Data()
        for part in parts {
            out.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"".utf8))
            if let filename = part.filename { out.append(Data("; filename=\"\(filename)\"".utf8)) }
            out.append(Data("\r\n".utf8))
            if let type = part.contentType { out.append(Data("Content-Type: \(type)\r\n".utf8)) }
            out.append(Data("\r\n".utf8))
            out.append(part.data)
            out.append(Data("\r\n".utf8))
        }
        out.append(Data("--\(boundary)--\r\n".utf8))
        return out
    }
}

extension TestClientProtocol {
    /// `POST /generate` with `chat_id` and `image` (either may be left out), like the seed's curl.
    func generate(
        chatID: String?, image: Data?, query: String = "", idempotencyKey: String? = nil,
        contentType: String? = nil
    ) async throws -> (status: Int, body: [String: Any]) {
        let answer = try await generateWithHeaders(
            chatID: chatID, image: image, query: query, idempotencyKey: idempotencyKey,
            contentType: contentType)
        return (answer.status, answer.body)
    }

    /// ``generate(chatID:image:query:idempotencyKey:contentType:)`` with the response headers.
    func generateWithHeaders(
        chatID: String?, image: Data?, query: String = "", idempotencyKey: String? = nil,
        contentType: String? = nil
    ) async throws -> (status: Int, headers: HTTPFields, body: [String: Any]) {
        var form = MultipartBody()
        if let chatID { form.field("chat_id", chatID) }
        if let image { form.file("image", image) }
        var headers = GatewayHarness.headers(json: false)
        headers[.contentType] = contentType ?? form.contentType
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return try await execute(uri: "/generate\(query)", method: .post, headers: headers, body: ByteBuffer(data: form.data)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), response.headers, object)
        }
    }
}
