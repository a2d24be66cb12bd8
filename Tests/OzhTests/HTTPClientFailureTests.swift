import Foundation
import TestSupport
import Testing

@testable import OzhHTTP

@Suite("HTTPClient failures")
struct HTTPClientFailureTests {
    let client = HTTPClient()

    @Test func requestTimeoutThrowsTimeoutQuickly() async throws {
        try await withTestServer { server in
            let start = ContinuousClock.now
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: server.url("/slow?ms=10000"), timeout: .milliseconds(200)))
            }
            #expect(error == .timeout)
            #expect(error?.code == "http_timeout")
            // The error alone shows the 200 ms timeout fired (the server answers after 10 s).
            #expect(ContinuousClock.now - start < .seconds(8))
        }
    }

    @Test func configuredTotalTimeoutApplies() async throws {
        try await withTestServer { server in
            let client = HTTPClient(configuration: .init(totalTimeout: .milliseconds(150)))
            await #expect(throws: HTTPClientError.timeout) {
                try await client.execute(HTTPRequest(url: server.url("/slow?ms=1500")))
            }
        }
    }

    @Test func connectionRefusedIsConnectFailed() async throws {
        let error = try await withRefusingLoopbackPort { port in
            await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/x"))
            }
        }
        guard case .connectFailed = error else {
            Issue.record("expected connectFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.code == "http_connect_failed")
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "http://", "", "http://127.0.0.1/\u{0}x"])
    func badURLsAreInvalidURL(url: String) async throws {
        await #expect(throws: HTTPClientError.invalidURL) {
            try await client.execute(HTTPRequest(url: url))
        }
    }

    @Test func headerInjectionIsRefusedWithoutLeakingTheValue() async throws {
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(
                HTTPRequest(
                    url: "http://127.0.0.1:9/x", headers: [("X-Api-Key", "secret-123\r\nX-Evil: 1")]))
        }
        #expect(error?.code == "http_transport")
        #expect(error.map { !$0.description.contains("secret-123") } == true)
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        try await withTestServer { server in
            let start = ContinuousClock.now
            let task = Task {
                try await client.execute(HTTPRequest(url: server.url("/slow?ms=20000")))
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            // Well before the server would answer (20 s): the transfer was aborted, not waited out.
            // The bound is loose because a loaded 2-core CI machine delays the sleep and the callback.
            #expect(ContinuousClock.now - start < .seconds(12))
        }
    }

    @Test func errorCodesAreStable() {
        #expect(HTTPClientError.timeout.code == "http_timeout")
        #expect(HTTPClientError.connectFailed("x").code == "http_connect_failed")
        #expect(HTTPClientError.tls("x").code == "http_tls")
        #expect(HTTPClientError.transport("x").code == "http_transport")
        #expect(HTTPClientError.invalidURL.code == "http_invalid_url")
    }
}
