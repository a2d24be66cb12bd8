import Foundation
import Testing

@testable import OzhHTTP

@Suite("HTTPClient over loopback")
struct HTTPClientTests {
    let client = HTTPClient()

    @Test func getRoundTripWithCustomHeaders() async throws {
        try await withTestServer { server in
            let response = try await client.execute(
                HTTPRequest(
                    url: server.url("/echo?x=1"),
                    headers: [("X-Api-Key", "secret-key"), ("X-Trace", "abc"), ("X-Empty", "")]
                ))
            #expect(response.status == 200)
            let echo = try response.decodeJSON(EchoReply.self)
            #expect(echo.method == "GET")
            #expect(echo.uri == "/echo?x=1")
            #expect(echo.header("x-api-key") == "secret-key")
            #expect(echo.header("X-TRACE") == "abc")
            #expect(echo.header("x-empty") == "")
            #expect(echo.header("user-agent") == "ozhivlyator/1.0")
            #expect(echo.body.isEmpty)
            #expect(response.header("x-test-server") == "nio")
            #expect(response.header("CONTENT-TYPE") == "application/json")
            #expect(response.header("x-missing") == nil)
        }
    }

    @Test func postJSONRoundTrip() async throws {
        struct Prompt: Codable, Equatable { var prompt: String; var n: Int }
        try await withTestServer { server in
            let sent = Prompt(prompt: String(repeating: "привет ", count: 400), n: 3)
            let request = try HTTPRequest.json(url: server.url("/echo"), headers: [("Authorization", "Bearer k")], body: sent)
            let echo = try await client.execute(request).decodeJSON(EchoReply.self)
            #expect(echo.method == "POST")
            #expect(echo.header("content-type") == "application/json")
            #expect(echo.header("authorization") == "Bearer k")
            #expect(echo.header("expect") == nil)
            #expect(try JSONDecoder().decode(Prompt.self, from: Data(echo.body.utf8)) == sent)
        }
    }

    @Test(arguments: ["PUT", "PATCH", "DELETE", "OPTIONS"])
    func otherMethods(method: String) async throws {
        try await withTestServer { server in
            let body = method == "DELETE" || method == "OPTIONS" ? nil : Data("payload".utf8)
            let echo = try await client.execute(HTTPRequest(method: method, url: server.url("/echo"), body: body))
                .decodeJSON(EchoReply.self)
            #expect(echo.method == method)
            #expect(echo.body == (body == nil ? "" : "payload"))
        }
    }

    @Test func headHasNoBody() async throws {
        try await withTestServer { server in
            let response = try await client.execute(HTTPRequest(method: "HEAD", url: server.url("/big?bytes=10")))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.header("content-length") == "10")
        }
    }

    @Test(arguments: [404, 500, 503])
    func errorStatusesAreResponses(code: Int) async throws {
        try await withTestServer { server in
            let response = try await client.execute(HTTPRequest(url: server.url("/status/\(code)")))
            #expect(response.status == code)
            #expect(response.bodyText == "status \(code)")
            #expect(!response.isSuccess)
        }
    }

    @Test func twoMegabyteBodyArrivesIntact() async throws {
        try await withTestServer { server in
            let count = 2 * 1024 * 1024
            let response = try await client.execute(HTTPRequest(url: server.url("/big?bytes=\(count)")))
            #expect(response.body.count == count)
            #expect(response.body == Data((0..<count).map { UInt8(truncatingIfNeeded: $0 % 251) }))
        }
    }

    @Test func keepAliveConnectionIsReused() async throws {
        try await withTestServer { server in
            let client = HTTPClient()
            for _ in 0..<5 {
                let response = try await client.execute(HTTPRequest(url: server.url("/status/204")))
                #expect(response.status == 204)
            }
            #expect(server.log.connections == 1)
        }
    }

    @Test func fiftyConcurrentRequests() async throws {
        try await withTestServer { server in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let echo = try await client.execute(HTTPRequest(url: server.url("/echo?i=\(index)")))
                            .decodeJSON(EchoReply.self)
                        return echo.uri == "/echo?i=\(index)" ? 200 : 0
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 50)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }
}
