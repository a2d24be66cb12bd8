import Foundation
import Testing

@testable import OzhHTTP

/// Proxies: the test server plays the proxy, so nothing leaves 127.0.0.1 (`.invalid` hosts
/// never resolve, and with a proxy libcurl does not even try).
@Suite("HTTPClient proxies")
struct HTTPClientProxyTests {
    static let childFlag = "OZH_HTTP_ENV_PROXY_CHILD"

    @Test func explicitProxyGetsAbsoluteFormRequests() async throws {
        try await withTestServer { server in
            let client = HTTPClient(configuration: .init(proxy: "http://127.0.0.1:\(server.port)"))
            let response = try await client.execute(HTTPRequest(url: "http://upstream.invalid/x"))
            #expect(response.status == 200)
            #expect(response.bodyText == "proxied http://upstream.invalid/x")
            #expect(server.log.requests.contains("GET http://upstream.invalid/x"))

            // https through a proxy is a CONNECT tunnel; the test proxy refuses it.
            await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: "https://upstream.invalid/y"))
            }
            #expect(server.log.requests.contains("CONNECT upstream.invalid:443"))
        }
    }

    /// Re-runs this test binary with proxy variables set, so the variables never touch this
    /// process (where other tests run in parallel); the child runs ``envProxyChild()``.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe")))
    func environmentProxyVariablesApply() async throws {
        try await withTestServer { server in
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
            environment["http_proxy"] = "http://127.0.0.1:\(server.port)"
            environment["HTTPS_PROXY"] = "http://127.0.0.1:\(server.port)"
            environment["NO_PROXY"] = "127.0.0.1"
            environment["OZH_HTTP_ENV_PROXY_PORT"] = "\(server.port)"
            environment[Self.childFlag] = "1"
            let (status, output) = try await TestProcess.run(
                "/proc/self/exe", ["--testing-library", "swift-testing", "--filter", "envProxyChild"],
                environment: environment)
            #expect(status == 0, "child output:\n\(output)")
            let requests = server.log.requests
            #expect(requests.contains("GET http://upstream.invalid/env-http"), "http_proxy unused: \(requests)")
            #expect(requests.contains("CONNECT upstream.invalid:443"), "HTTPS_PROXY unused: \(requests)")
            #expect(requests.contains("GET /echo?direct=1"), "NO_PROXY unused: \(requests)")
        }
    }

    /// The child half of ``environmentProxyVariablesApply()``; skipped in a normal run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childFlag] == "1"))
    func envProxyChild() async throws {
        let port = try #require(ProcessInfo.processInfo.environment["OZH_HTTP_ENV_PROXY_PORT"])
        let client = HTTPClient()
        let proxied = try await client.execute(HTTPRequest(url: "http://upstream.invalid/env-http"))
        #expect(proxied.bodyText == "proxied http://upstream.invalid/env-http")
        await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "https://upstream.invalid/env-https"))
        }
        let direct = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/echo?direct=1"))
        #expect(try direct.decodeJSON(EchoReply.self).uri == "/echo?direct=1")
    }
}
