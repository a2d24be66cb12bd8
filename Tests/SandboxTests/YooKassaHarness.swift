import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

@testable import OzhHTTP
@testable import Sandbox

/// Helpers for the YooKassa emulator's tests.
enum YooKassaHarness {
    static let auth = "Basic " + Data("123456:test_secret".utf8).base64EncodedString()
    static let environment = ["SANDBOX_YOOKASSA_SHOP_ID": "123456", "SANDBOX_YOOKASSA_SECRET_KEY": "test_secret"]

    static func body(value: String = "100.00", currency: String = "RUB", capture: Bool = true, description: String = "5 ozhivashki") -> String {
        #"{"amount":{"value":"\#(value)","currency":"\#(currency)"},"capture":\#(capture),"confirmation":{"type":"redirect","return_url":"https://t.me/ozh_bot"},"description":"\#(description)","metadata":{"chat_id":"42","item":"pack5"}}"#
    }

    /// A sandbox with the test shop's credentials plus `extra` settings.
    static func withSandbox<T: Sendable>(
        _ extra: [String: String] = [:], _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        try await SandboxHarness.withSandbox(environment.merging(extra) { $1 }, body)
    }
}

extension TestClientProtocol {
    /// Calls the emulated API with the test shop's credentials (or `auth`).
    func yookassa(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, key: String? = nil,
        auth: String? = YooKassaHarness.auth
    ) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let auth { headers[.authorization] = auth }
        if let key { headers[YooKassaRoutes.idempotenceKeyHeader] = key }
        return try await send(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Creates a payment under a fresh key.
    func createPayment(_ body: String = YooKassaHarness.body(), key: String = UUID().uuidString) async throws -> Reply {
        try await yookassa(.post, "/v3/payments", body: body, key: key)
    }

    func yookassaStats() async throws -> [String: Any] { try await control(.get, "/_sandbox/yookassa/stats").json }

    /// A page as text.
    func text(_ method: HTTPRequest.Method, _ path: String) async throws -> (Int, String) {
        try await execute(uri: path, method: method, headers: [:], body: nil) { response in
            (Int(response.status.code), String(buffer: response.body))
        }
    }
}

extension Reply {
    var id: String? { json["id"] as? String }
    var paymentStatus: String? { json["status"] as? String }
    var code: String? { json["code"] as? String }
    var parameter: String? { json["parameter"] as? String }
    func object(_ name: String) -> [String: Any]? { json[name] as? [String: Any] }
}

/// A webhook receiver: a second Hummingbird app that records notifications and answers
/// 500 to the first `failures` of them.
actor WebhookReceiver {
    private(set) var bodies: [Data] = []
    private(set) var attempts = 0
    var count: Int { bodies.count }
    private var failures: Int

    init(failures: Int = 0) { self.failures = failures }

    func record(_ data: Data) -> Int {
        attempts += 1
        if failures > 0 {
            failures -= 1
            return 500
        }
        bodies.append(data)
        return 200
    }

    /// Waits up to `timeout` until `count` notifications arrived.
    nonisolated func wait(for count: Int, timeout: Duration = .seconds(5)) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while await self.count < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return await bodies.compactMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
    }

    /// Runs `body` with the receiver listening; the argument is its `/hook` URL.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let status = await self.record(Data(buffer.readableBytesView))
            return Response(status: .init(code: status))
        }
        var logger = Logger(label: "test-webhook-receiver")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await body("http://localhost:\(client.port!)/hook")
        }
    }
}
