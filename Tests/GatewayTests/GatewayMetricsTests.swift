import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhObservability
@testable import OzhQueue

/// `GET /metrics` on the live gateway: request counters by route template and status, queue
/// depth and Gemini quota read at scrape time. Metrics are process-wide, so request counts are
/// compared before and after; serialized, because the scrape-time gauges are too.
@Suite("Gateway metrics", .serialized, .needsServers)
struct GatewayMetricsTests {
    @Test func requestsAreCountedByRouteTemplateMethodAndStatus() async throws {
        try await GatewayHarness.withGateway { client, _ in
            let before = try await client.scrapeMetrics()
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 424242}"#).status == 201)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 424243}"#).status == 201)
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 424242}"#).status == 409)
            for _ in 0..<3 { #expect(try await client.call(.get, "/users/424242").status == 200) }
            #expect(try await client.call(.get, "/users/999000111").status == 404)
            #expect(try await client.call(.get, "/users/424242", key: nil).status == 401)
            #expect(try await client.call(.get, "/no/such/route/777").status == 404)
            let after = try await client.scrapeMetrics()

            let requests = "ozh_http_requests_total"
            #expect(after.increase(requests, ["method": "POST", "route": "/users", "status": "201"], since: before) >= 2)
            #expect(after.increase(requests, ["method": "POST", "route": "/users", "status": "409"], since: before) >= 1)
            #expect(after.increase(requests, ["method": "GET", "route": "/users/{chat_id}", "status": "200"], since: before) >= 3)
            #expect(after.increase(requests, ["method": "GET", "route": "/users/{chat_id}", "status": "404"], since: before) >= 1)
            #expect(after.increase(requests, ["method": "GET", "route": "/users/{chat_id}", "status": "401"], since: before) >= 1)
            #expect(after.increase(requests, ["method": "GET", "route": HTTPMetrics.unmatchedRoute, "status": "404"], since: before) >= 1)
            #expect(
                after.increase(
                    "ozh_http_request_duration_seconds_count", ["method": "GET", "route": "/users/{chat_id}"],
                    since: before) >= 5)
            // Bounded labels: no raw path or chat id ever becomes a route.
            let routes = Set(after.samples.compactMap { $0.labels["route"] })
            #expect(routes.allSatisfy { !$0.contains("424242") && !$0.contains("777") && !$0.contains("999000111") }, "\(routes)")
            #expect(!routes.contains("/metrics"), "the scrape is on the metrics port, not a route of the public one")
        }
    }

    @Test func queueDepthPerStateMatchesWhatWasEnqueued() async throws {
        try await GatewayHarness.withGateway { client, services in
            let queue = services.queue
            for _ in 0..<5 { try await queue.enqueue(kind: JobKind.generation.name, queue: QueueNames.generation) }
            for _ in 0..<2 { try await queue.enqueue(kind: JobKind.createPayment.name, queue: QueueNames.payment) }
            try await queue.heartbeat(queue: QueueNames.generation, worker: "metrics-w1")
            let doomed = try #require(try await queue.reserve(queue: QueueNames.generation, worker: "metrics-w1", timeout: .seconds(1)))
            try await queue.fail(
                doomed, worker: "metrics-w1", error: JobError(code: "test", message: "no"), retryable: false,
                backoff: .zero)
            let waiting = try #require(try await queue.reserve(queue: QueueNames.generation, worker: "metrics-w1", timeout: .seconds(1)))
            try await queue.postpone(waiting, worker: "metrics-w1", until: Date().addingTimeInterval(3600), reason: "test")
            _ = try #require(try await queue.reserve(queue: QueueNames.generation, worker: "metrics-w1", timeout: .seconds(1)))

            let metrics = try await client.scrapeMetrics()
            func depth(_ queue: String, _ state: String) -> Double? { metrics.value("ozh_queue_jobs", ["queue": queue, "state": state]) }
            #expect(depth("generation", "ready") == 2)
            #expect(depth("generation", "processing") == 1)
            #expect(depth("generation", "delayed") == 1)
            #expect(depth("generation", "dead") == 1)
            #expect(depth("payment", "ready") == 2)
            #expect(depth("payment", "processing") == 0)
            #expect(depth("payment", "delayed") == 0)
            #expect(depth("payment", "dead") == 0)
            #expect(metrics.value("ozh_queue_workers", ["queue": "generation", "state": "live"]) == 1)
            #expect(metrics.value("ozh_metrics_collector_up", ["collector": "queues"]) == 1)
            #expect(metrics.types["ozh_queue_jobs"] == "gauge")

            // The next scrape reads Redis again.
            try await queue.enqueue(kind: JobKind.createPayment.name, queue: QueueNames.payment)
            #expect(try await client.scrapeMetrics().value("ozh_queue_jobs", ["queue": "payment", "state": "ready"]) == 3)
        }
    }

    @Test func quotaHeadroomPerProjectIsReadWithoutReservingAnything() async throws {
        let settings = [
            "GEMINI_API_KEYS_STR": "p1:metrics-key-one-aaaa,p2:metrics-key-two-bbbb,p2:metrics-key-three-cccc",
            "GEMINI_RPM": "10", "GEMINI_RPD": "100",
        ]
        try await GatewayHarness.withGateway(settings) { client, services in
            let quota = try #require(services.quota.keyLimiter)
            let grant = try await quota.acquire(model: "test-model")
            let project = try #require(grant.project)
            let key = try #require(quota.keyring.keys(of: "p2").first)
            try await quota.disable(key: key, reason: "API_KEY_INVALID")

            let first = try await client.scrapeMetrics()
            let second = try await client.scrapeMetrics()
            for metrics in [first, second] {
                func remaining(_ project: String, _ window: String) -> Double? {
                    metrics.value("ozh_gemini_quota_remaining", ["project": project, "window": window])
                }
                let other = project == "p1" ? "p2" : "p1"
                #expect(remaining(project, "minute") == 9)
                #expect(remaining(project, "day") == 99)
                #expect(remaining(other, "minute") == 10)
                #expect(remaining(other, "day") == 100)
                #expect(metrics.value("ozh_gemini_quota_limit", ["project": "p1", "window": "minute"]) == 10)
                #expect(metrics.value("ozh_gemini_quota_limit", ["project": "p1", "window": "day"]) == 100)
                #expect(metrics.value("ozh_gemini_keys", ["project": "p2"]) == 2)
                #expect(metrics.value("ozh_gemini_keys_disabled", ["project": "p2"]) == 1)
                #expect(metrics.value("ozh_gemini_keys_disabled", ["project": "p1"]) == 0)
                #expect(metrics.value("ozh_gemini_project_cooling_down", ["project": "p1"]) == 0)
            }
            // Scraping twice took no slot: the limiter still counts the one acquire.
            #expect(try await quota.status().map(\.callsInWindow).reduce(0, +) == 1)
        }
    }
}
