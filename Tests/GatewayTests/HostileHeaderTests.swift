import Foundation
import HTTPTypes
import TestSupport
import Testing

@testable import APIGateway

/// Hostile request heads, sent as raw bytes where no HTTP client would send them: each gets
/// the status and JSON error code openapi.yaml documents (`400 bad_request` for what the
/// HTTP parser refuses), nothing is created, charged or queued, and the gateway keeps answering.
@Suite("Hostile headers", .needsServers)
struct HostileHeaderTests {
    static let chatID = 651
    static let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100}"#

    /// A request head (lines without their CRLF) and a body.
    static func request(_ lines: [String], body: String = "") -> Data {
        Data((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    static func rawCorpus(key: String) -> [(label: String, request: Data, halfClose: Bool, status: Int, code: String)] {
        let post = ["POST /users HTTP/1.1", "Host: 127.0.0.1", "api-key: \(key)", "Content-Type: application/json", "Connection: close"]
        let get = ["GET /users/\(chatID) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        let user = #"{"chat_id": 652}"#
        let manyHeaders = (0..<2000).map { "X-Filler-\($0): x" }
        var nonASCIIKey = Data("GET /users/\(chatID) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\napi-key: ".utf8)
        nonASCIIKey.append(Data("ключ-\(key)".utf8))
        nonASCIIKey.append(Data("\r\n\r\n".utf8))
        var nonASCIIIdempotency = Data("POST /users/\(chatID)/create_payment HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: \(key)\r\n".utf8)
        nonASCIIIdempotency.append(Data("Content-Type: application/json\r\nConnection: close\r\nIdempotency-Key: ключ\r\n".utf8))
        nonASCIIIdempotency.append(Data("Content-Length: \(Data(order.utf8).count)\r\n\r\n\(order)".utf8))
        return [
            ("100 KB header", request(get + ["api-key: \(key)", "X-Junk: " + String(repeating: "a", count: 100_000)]), false, 400, "bad_request"),
            ("2000 headers", request(get + ["api-key: \(key)"] + manyHeaders), false, 400, "bad_request"),
            ("Content-Length abc", request(post + ["Content-Length: abc"], body: user), false, 400, "bad_request"),
            ("Content-Length -1", request(post + ["Content-Length: -1"], body: user), false, 400, "bad_request"),
            ("two different Content-Lengths", request(post + ["Content-Length: 16", "Content-Length: 5"], body: user), false, 400, "bad_request"),
            (
                "Content-Length with chunked",
                request(post + ["Content-Length: 16", "Transfer-Encoding: chunked"], body: "10\r\n\(user)\r\n0\r\n\r\n"),
                false, 400, "bad_request"
            ),
            ("a broken chunk size", request(post + ["Transfer-Encoding: chunked"], body: "zz\r\n\(user)\r\n0\r\n\r\n"), false, 400, "bad_request"),
            ("Content-Length shorter than the body", request(post + ["Content-Length: 5"], body: user), false, 400, "invalid_body"),
            ("Content-Length longer than the body", request(post + ["Content-Length: 500"], body: user), true, 400, "bad_request"),
            ("a header name with a space", request(get + ["api key: \(key)"]), false, 400, "bad_request"),
            ("a NUL in the api-key", request(get + ["api-key: \(key)\u{0}"]), false, 400, "bad_request"),
            ("a request line of garbage", Data("GARBAGE\r\n\r\n".utf8), false, 400, "bad_request"),
            ("a non-ASCII api-key", nonASCIIKey, false, 401, "unauthorized"),
            ("the api-key twice", request(get + ["api-key: \(key)", "api-key: \(key)"]), false, 401, "unauthorized"),
            ("an empty api-key", request(get + ["api-key:"]), false, 401, "unauthorized"),
            ("no api-key", request(get), false, 401, "unauthorized"),
            ("a non-ASCII Idempotency-Key", nonASCIIIdempotency, false, 400, "invalid_idempotency_key"),
        ]
    }

    @Test func hostileHeadsGetJSONErrorsAndChangeNothing() async throws {
        try await GatewayHarness.withGateway { client, services in
            let port = try #require(client.port)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": \#(Self.chatID)}"#).status == 201)
            let footprint = try await Footprint.of(services)
            for (label, request, halfClose, status, code) in Self.rawCorpus(key: GatewayHarness.apiKey) {
                let answer = try await RawHTTP.exchange(port: port, request, halfClose: halfClose)
                #expect(answer.status == status, "\(label): \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
                #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(label): a JSON body")
                #expect(answer.errorCode == code, "\(label): code \(answer.errorCode ?? "none")")
                #expect(try await Footprint.of(services) == footprint, "\(label) changed nothing")
            }
            // Through a regular client: wrong and look-alike keys.
            for key in [
                "", "wrong-key-wrong-key", GatewayHarness.apiKey.uppercased(), String(GatewayHarness.apiKey.dropLast()),
                GatewayHarness.apiKey + GatewayHarness.apiKey, String(repeating: "k", count: 60_000),
            ] {
                let (status, body) = try await client.call(.post, "/users/\(Self.chatID)/create_payment", json: Self.order, key: key)
                #expect(status == 401, "key of \(key.count) characters")
                #expect(errorCode(body) == "unauthorized")
            }
            #expect(try await Footprint.of(services) == footprint)
            #expect(try await client.call(.get, "/health").status == 200, "the gateway still answers")
            let (status, _) = try await client.call(.get, "/users/\(Self.chatID)")
            #expect(status == 200, "and serves a plain request")
        }
    }
}
