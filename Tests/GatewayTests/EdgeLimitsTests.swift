import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhImages
@testable import OzhQueue
@testable import OzhRedis
@testable import OzhSettings

/// Issue 13 on the in-process gateway: 405 with `Allow`, the multipart part cap, the long-poll
/// caps, `/ready` from a cached check, and the template secrets refused.
@Suite("Edge limits", .serialized)
struct EdgeLimitsTests {
    /// A known path asked with a method it does not serve: `405 method_not_allowed` with `Allow`
    /// naming exactly the methods openapi.yaml documents for it; unknown paths stay 404.
    @Test(.needsServers) func unsupportedMethodsOnKnownPathsAnswer405WithAllow() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let cases: [(HTTPTypes.HTTPRequest.Method, String, String)] = [
                (.put, "/generate", "POST"), (.init("TRACE")!, "/users", "POST"), (.delete, "/users/42", "GET, PATCH"),
                (.post, "/jobs/abc", "GET"), (.patch, "/openapi.yaml", "GET"), (.get, "/webhooks/yookassa", "POST"),
                (.options, "/users/42/ledger", "GET"), (.post, "/health", "GET"),
            ]
            for (method, path, allow) in cases {
                let (status, headers, body) = try await client.execute(uri: path, method: method, headers: GatewayHarness.headers()) {
                    (
                        Int($0.status.code), $0.headers,
                        (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView))) as? [String: Any] ?? [:]
                    )
                }
                #expect(status == 405, "\(method) \(path)")
                #expect(headers[.allow] == allow, "\(method) \(path): Allow \(headers[.allow] ?? "none")")
                #expect(errorCode(body) == "method_not_allowed", "\(method) \(path)")
                #expect(headers[.contentType]?.hasPrefix("application/json") == true)
            }
            #expect(try await client.call(.get, "/no/such/route").status == 404)
            #expect(try await client.call(.put, "/no/such/route").status == 404)
            // The api-key is checked first, as on every path.
            #expect(try await client.call(.put, "/generate", key: nil).status == 401)
        }
    }

    /// More parts than `MAX_MULTIPART_PARTS`: `400 too_many_parts`, nothing charged.
    @Test(.needsServers) func aFormWithTooManyPartsIsRefused() async throws {
        try await GatewayHarness.withGateway(["MAX_MULTIPART_PARTS": "4"]) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5150}"#).status == 201)
            let drawing = try await MagickImage.makeImageAsync(width: 40, height: 30, format: .png, color: "#00aa00")
            var parts: [(disposition: String, type: String?, data: Data)] = [
                (#"name="chat_id""#, nil, Data("5150".utf8)),
                (#"name="image"; filename="d.png""#, "image/png", drawing),
            ]
            for n in 0..<3 { parts.append((#"name="extra\#(n)""#, nil, Data("x".utf8))) }
            var headers = GatewayHarness.headers(json: false)
            headers[.contentType] = HostileBodies.multipartType
            let (status, body) = try await client.execute(
                uri: "/generate", method: .post, headers: headers,
                body: ByteBuffer(bytes: HostileBodies.multipart(parts))
            ) {
                (Int($0.status.code), (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView))) as? [String: Any] ?? [:])
            }
            #expect(status == 400)
            #expect(errorCode(body) == "too_many_parts")
            #expect(try await client.call(.get, "/users/5150").body["ozhivashki"] as? Int == 1, "nothing charged")
            // Within the cap the same form is fine.
            let (accepted, _) = try await client.generate(chatID: "5150", image: drawing)
            #expect(accepted == 202)
            _ = services
        }
    }

    /// Over `MAX_LONG_POLLS_PER_CLIENT` a `?wait=S` answers at once with the current status;
    /// the waiters within the cap keep waiting.
    @Test(.needsServers) func longPollsOverThePerClientCapAnswerAtOnce() async throws {
        try await GatewayHarness.withGateway(["MAX_LONG_POLLS_PER_CLIENT": "2"]) { client, services in
            let id = try await services.queue.enqueue(.probeCount, queue: QueueNames.generation, payload: ProbeCount())
            let port = try #require(client.port)
            // Each on its own connection (the test client has one).
            let request = Data(
                "GET /jobs/\(id)?wait=4 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\napi-key: \(GatewayHarness.apiKey)\r\n\r\n".utf8)
            async let first = RawHTTP.exchange(port: port, request)
            async let second = RawHTTP.exchange(port: port, request)
            let deadline = ContinuousClock.now + .seconds(3)
            while services.longPolls.current < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(services.longPolls.current == 2)
            let started = ContinuousClock.now
            let third = try await RawHTTP.exchange(port: port, request)
            #expect(ContinuousClock.now - started < .seconds(2), "over the cap the answer comes at once")
            let status = ((try? JSONSerialization.jsonObject(with: third.body)) as? [String: Any])?["status"] as? String
            #expect(third.status == 200 && status == "queued", "\(third.status) \(status ?? "-")")
            let (a, b) = try await (first, second)
            #expect(a.status == 200 && b.status == 200)
            #expect(ContinuousClock.now - started >= .seconds(2), "the two within the cap waited")
            #expect(services.longPolls.current == 0)
        }
    }

    /// 100 `GET /ready` at once cost Redis one or two PINGs, not 100 (a check at most once a second).
    @Test(.needsServers) func readyAnswersFromACheckMadeAtMostOnceASecond() async throws {
        try await GatewayHarness.withGateway { client, services in
            func pings() async throws -> Int {
                guard case .bulk(let bytes) = try await services.redis.send("INFO", "commandstats") else { return 0 }
                let text = String(decoding: bytes, as: UTF8.self)
                guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_ping:") }),
                    let calls = line.split(separator: ",").first?.split(separator: "=").last
                else { return 0 }
                return Int(calls) ?? 0
            }
            let before = try await pings()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<100 { group.addTask { try await client.call(.get, "/ready", key: nil).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let after = try await pings()
            #expect(statuses.allSatisfy { $0 == 200 })
            #expect(after - before <= 3, "\(after - before) PINGs for 100 /ready")
        }
    }

    /// The secrets of the shipped templates are refused, each naming its variable.
    @Test func theTemplatesSecretsAreRefused() throws {
        let real = [
            "API_KEY": "k-a1b2c3d4e5f6a7b8c9", "GEMINI_API_KEYS_STR": "p1:AIzaSyD-real-looking-key", "YOOKASSA_SECRET_KEY": "live_Zx81kQ",
            "MONGO_URI": "mongodb://ozh:s3cr3t-pw@mongo:27017", "REDIS_URL": "redis://:s3cr3t-pw@redis:6379/0",
        ]
        #expect(throws: Never.self) { try Settings(source: SettingsSource(values: real)).refusePlaceholders() }
        let secret = try #require(try DeploymentFiles.k8sObjects().first { $0.kind == "Secret" && $0.name == "ozh-secrets" })
        let stringData = secret.body["stringData"]
        let production = try DeploymentFiles.envFile("production.env.example")
        var templates: [(String, String)] = []
        for variable in ["API_KEY", "GEMINI_API_KEYS_STR", "YOOKASSA_SECRET_KEY", "MONGO_URI", "REDIS_URL"] {
            if let value = stringData[variable].string { templates.append((variable, value)) }
        }
        for variable in ["API_KEY", "GEMINI_API_KEYS_STR", "YOOKASSA_SECRET_KEY"] {
            if let value = production[variable] { templates.append((variable, value)) }
        }
        #expect(templates.count == 8)
        for (variable, value) in templates {
            let settings = try Settings(source: SettingsSource(values: real.merging([variable: value]) { $1 }))
            #expect(throws: SettingsError.self, "\(variable)=\(value)") { try settings.refusePlaceholders() }
            do {
                try settings.refusePlaceholders()
            } catch {
                #expect(error.message.hasPrefix("\(variable) is invalid"), "\(error.message)")
                #expect(!error.message.contains(value))
            }
        }
    }
}
