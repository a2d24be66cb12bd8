import Foundation
import Logging
import Synchronization
import Testing

@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhObservability
@testable import OzhRedis

/// A scrape-time collector for tests: counts its runs and sets a gauge to that count, or fails.
private final class CountingCollector: MetricsCollector {
    let name: String
    let fails: Bool
    private let runs = Mutex(0)

    init(name: String, fails: Bool = false) {
        self.name = name
        self.fails = fails
    }

    var count: Int { runs.withLock { $0 } }

    func collect() async throws {
        let count = runs.withLock { value -> Int in
            value += 1
            return value
        }
        if fails { throw RedisError.unavailable("test collector cannot read its source") }
        GaugeFamily("ozh_test_collector_runs", "Runs of a test collector.", labels: ["collector"]).with(name).set(to: Double(count))
    }
}

/// The workers' metrics port, in process on a free port.
@Suite("Metrics server")
struct MetricsServerTests {
    let client = HTTPClient(configuration: .init(connectTimeout: .seconds(2), totalTimeout: .seconds(10)))

    func withServer(
        readiness: [ReadinessCheck], collectors: [any MetricsCollector] = [], _ body: (Int) async throws -> Void
    ) async throws {
        var logger = Logger(label: "metrics-server-test")
        logger.logLevel = .critical
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, readiness: readiness, collectors: collectors, logger: logger)
        let port = try #require(server.port)
        let running = Task { try await server.run() }
        do {
            try await body(port)
        } catch {
            server.close()
            _ = await running.result
            throw error
        }
        server.close()
        // Closing the port ends run(), and nothing listens there any more.
        try await running.value
        await #expect(throws: HTTPClientError.self) { try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/health")) }
    }

    func get(_ port: Int, _ path: String, method: String = "GET") async throws -> HTTPResponse {
        try await client.execute(HTTPRequest(method: method, url: "http://127.0.0.1:\(port)\(path)"))
    }

    func json(_ response: HTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
    }

    @Test func healthAnswersAndReadyNamesTheDependenciesThatDoNotAnswer() async throws {
        let brokerUp = Mutex(false)
        let readiness = [
            ReadinessCheck(name: "store") { true },
            ReadinessCheck(name: "broker") { brokerUp.withLock { $0 } },
        ]
        try await withServer(readiness: readiness) { port in
            let health = try await get(port, "/health")
            #expect(health.status == 200)
            #expect(json(health)["status"] as? String == "ok")
            #expect(health.header("connection")?.lowercased() == "close")

            let notReady = try await get(port, "/ready")
            #expect(notReady.status == 503)
            let error = json(notReady)["error"] as? [String: Any]
            #expect(error?["code"] as? String == "not_ready")
            #expect((error?["message"] as? String)?.contains("broker") == true)
            #expect((error?["message"] as? String)?.contains("store") == false)

            brokerUp.withLock { $0 = true }
            // `/ready` answers from a check made at most once a second: it turns within about that.
            var ready = try await get(port, "/ready?probe=1")
            let deadline = ContinuousClock.now + .seconds(5)
            while ready.status != 200, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await get(port, "/ready?probe=1")
            }
            #expect(ready.status == 200)
            #expect(json(ready)["status"] as? String == "ready")
        }
    }

    @Test func metricsRunsTheCollectorsBeforeEachScrape() async throws {
        let counting = CountingCollector(name: "counting-\(UInt32.random(in: 0...UInt32.max))")
        let failing = CountingCollector(name: "failing-\(UInt32.random(in: 0...UInt32.max))", fails: true)
        try await withServer(readiness: [], collectors: [counting, failing]) { port in
            let first = try await get(port, "/metrics")
            #expect(first.status == 200)
            #expect(first.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(first.bodyText.contains(#"ozh_test_collector_runs{collector="\#(counting.name)"} 1.0"#), "\(first.bodyText)")
            let second = try await get(port, "/metrics").bodyText
            #expect(second.contains(#"ozh_test_collector_runs{collector="\#(counting.name)"} 2.0"#))
            #expect(second.contains(#"ozh_metrics_collector_up{collector="\#(counting.name)"} 1.0"#))
            #expect(
                second.contains(#"ozh_metrics_collector_up{collector="\#(failing.name)"} 0.0"#),
                "a failing collector is reported, the scrape goes on")
            #expect(second.contains("# TYPE ozh_metrics_collector_up gauge"))
            #expect(counting.count == 2 && failing.count == 2)
        }
    }

    @Test func otherPathsAndMethodsAreRefusedAsJSON() async throws {
        try await withServer(readiness: []) { port in
            let missing = try await get(port, "/users/1")
            #expect(missing.status == 404)
            #expect((json(missing)["error"] as? [String: Any])?["code"] as? String == "not_found")
            let post = try await get(port, "/metrics", method: "POST")
            #expect(post.status == 405)
            #expect((json(post)["error"] as? [String: Any])?["code"] as? String == "method_not_allowed")
            let head = try await get(port, "/health", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }

    @Test func aTakenPortIsATypedError() async throws {
        var logger = Logger(label: "metrics-server-test")
        logger.logLevel = .critical
        let first = try await MetricsServer.bind(host: "127.0.0.1", port: 0, readiness: [], collectors: [], logger: logger)
        defer { first.close() }
        let port = try #require(first.port)
        do {
            _ = try await MetricsServer.bind(host: "127.0.0.1", port: port, readiness: [], collectors: [], logger: logger)
            Issue.record("binding a taken port must fail")
        } catch {
            #expect(error.code == "metrics_port_unavailable")
            #expect(error.message.contains("METRICS_PORT"))
        }
    }

    @Test func labelsStayBounded() {
        #expect(HTTPMetrics.methodLabel("GET") == "GET")
        #expect(HTTPMetrics.methodLabel("PROPFIND") == "OTHER")
        #expect(HTTPMetrics.routeLabel("/users/{chat_id}") == "/users/{chat_id}")
        #expect(HTTPMetrics.routeLabel("NotFound") == HTTPMetrics.unmatchedRoute)
        #expect(HTTPMetrics.routeLabel(nil) == HTTPMetrics.unmatchedRoute)

        func label(_ status: Int, _ body: String) -> String { GeminiOutcome(status: status, body: Data(body.utf8)).metricLabel }
        #expect(label(429, #"{"error": {"code": 429}}"#) == "rate_limited")
        #expect(label(503, #"{"error": {"message": "overloaded"}}"#) == "server_error")
        #expect(label(403, #"{"error": {"status": "PERMISSION_DENIED"}}"#) == "key_rejected")
        #expect(label(400, #"{"error": {"message": "API key not valid"}}"#) == "key_rejected")
        #expect(label(400, #"{"error": {"message": "bad field"}}"#) == "bad_request")
        #expect(label(200, #"{"promptFeedback": {"blockReason": "SAFETY"}}"#) == "safety_blocked")
        #expect(label(200, #"{"candidates": [{"content": {"parts": [{"text": "hi"}]}, "finishReason": "STOP"}]}"#) == "no_image")
        #expect(GeminiOutcome.transient(code: HTTPClientError.timeout.code, message: "").metricLabel == "transport_error")
        #expect(Set(GeminiMetrics.outcomes).count == GeminiMetrics.outcomes.count)
    }
}
