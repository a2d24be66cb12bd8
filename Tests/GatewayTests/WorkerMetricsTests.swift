import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhImages

/// The whole stack with each worker's metrics port open: sandbox (Gemini and YooKassa), the
/// gateway, one generation worker and one payment worker, after one generation and one
/// payment ran through them.
struct MetricsStack {
    let client: any TestClientProtocol
    let services: GatewayServices
    let stack: GenerationStack
    let generationPort: Int
    let paymentPort: Int
    let paymentID: String

    static let drawing = try! MagickImage.makeImage(width: 320, height: 240, format: .png, color: "#ff9933")

    static func run(_ body: @Sendable (MetricsStack) async throws -> Void) async throws {
        let stack = try await GenerationStack(sandboxEnvironment: [
            "SANDBOX_GEMINI_RPM": "1000", "SANDBOX_GEMINI_RPD": "100000",
            "SANDBOX_YOOKASSA_SHOP_ID": "500123", "SANDBOX_YOOKASSA_SECRET_KEY": "test_sandbox-secret",
        ])
        defer { stack.stop() }
        let settings = [
            "GEMINI_BASE_URL": stack.geminiBaseURL, "GEMINI_API_KEYS_STR": "p1:key-one-aaaa,p2:key-two-bbbb",
            "GEMINI_RPM": "1000", "GEMINI_RPD": "100000", "MAIN_IMAGES": "4",
            "YOOKASSA_BASE_URL": stack.geminiBaseURL, "YOOKASSA_SHOP_ID": "500123", "YOOKASSA_SECRET_KEY": "test_sandbox-secret",
            "TELEGRAM_BOT_USERNAME": "OzhTestBot", "YOOKASSA_WEBHOOK_IPS": "127.0.0.1/32,::1/128",
            "RECONCILE_INTERVAL_MS": "300", "RECONCILE_AFTER_MS": "600000",
        ]
        try await GatewayHarness.withGateway(settings) { client, services in
            let port = try #require(client.port)
            try await stack.sandboxCall(
                "POST", "/_sandbox/yookassa/config",
                json: #"{"webhook_url": "http://127.0.0.1:\#(port)/webhooks/yookassa"}"#)
            let generationPort = try freeLoopbackPort()
            try await stack.startWorker(services.settings, ["METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(generationPort)"])
            let paymentPort = try freeLoopbackPort()
            try await stack.startPaymentWorker(services.settings, ["METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(paymentPort)"])

            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 515151}"#).status == 201)
            let (status, accepted) = try await client.generate(chatID: "515151", image: drawing)
            try #require(status == 202, "\(accepted)")
            let jobID = try #require(accepted["job_id"] as? String)
            let (_, job) = try await client.call(.get, "/jobs/\(jobID)?wait=60")
            try #require(job["status"] as? String == "succeeded", "\(job)")
            let order = #"{"item_name": "Пакет '10 Оживашек'", "quantity": 1, "price": 100.00}"#
            let (paid, payment) = try await client.call(.post, "/users/515151/create_payment?wait=20", json: order)
            try #require(paid == 200, "\(payment)")
            let paymentID = try #require(payment["payment_id"] as? String)
            try await body(
                MetricsStack(
                    client: client, services: services, stack: stack, generationPort: generationPort,
                    paymentPort: paymentPort, paymentID: paymentID))
        }
    }
}

/// Each worker's metrics port: `/metrics` with job, Gemini and payment counters, `/health`,
/// `/ready`, and how start-up treats the port.
@Suite("Worker metrics", .serialized, .needsServers)
struct WorkerMetricsTests {
    @Test func workersCountJobsGeminiCallsAndPayments() async throws {
        try await MetricsStack.run { stack in
            // The generation worker is a fresh process: its counters hold exactly this run.
            let generation = try await scrapeWorker(stack.generationPort)
            let succeeded = ["queue": "generation", "kind": "generation", "outcome": "succeeded"]
            #expect(generation.value("ozh_jobs_total", succeeded) == 1)
            #expect(
                generation.value("ozh_jobs_total", ["queue": "generation", "kind": "generation", "outcome": "dead"]) == 0,
                "every outcome's series exists from the start")
            #expect(generation.value("ozh_job_duration_seconds_count", succeeded) == 1)
            #expect((generation.value("ozh_job_duration_seconds_sum", succeeded) ?? 0) > 0)
            let sandbox = try await stack.stack.sandboxCall("GET", "/_sandbox/gemini/stats")
            let calls = try #require(sandbox["total_calls"] as? Int)
            #expect(calls == 6, "4 main + 2 first-time bonus images")
            #expect(generation.value("ozh_gemini_calls_total", ["outcome": "ok"]) == Double(calls))
            #expect(generation.value("ozh_gemini_calls_total", ["project": "p1", "outcome": "rate_limited"]) == 0)
            #expect(generation.value("ozh_gemini_call_duration_seconds_count") == Double(calls))
            #expect(generation.value("ozh_gemini_quota_remaining", ["window": "day"]) == Double(2 * 100_000 - calls))
            #expect(generation.value("ozh_payments_total") == nil, "payments are the payment worker's")

            var payments = try await scrapeWorker(stack.paymentPort)
            #expect(payments.value("ozh_payments_total", ["status": "created"]) == 1)
            #expect(payments.value("ozh_jobs_total", ["queue": "payment", "kind": "create_payment", "outcome": "succeeded"]) == 1)
            #expect(payments.value("ozh_payments_pending") == 1)
            let age = try #require(payments.value("ozh_payments_pending_oldest_age_seconds"))
            #expect(age >= 0 && age < 300, "created moments ago: \(age)")
            #expect(payments.value("ozh_metrics_collector_up", ["collector": "pending_payments"]) == 1)

            // Paying on the sandbox: the webhook's confirm job credits, and nothing is pending any more.
            try await stack.stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(stack.paymentID)/succeed")
            payments = try await scrapeWorker(stack.paymentPort, within: .seconds(20)) {
                $0.value("ozh_payments_total", ["status": "credited"]) == 1 && $0.value("ozh_payments_pending") == 0
            }
            #expect(payments.value("ozh_payments_total", ["status": "credited"]) == 1)
            #expect((payments.value("ozh_payments_total", ["status": "succeeded"]) ?? 0) >= 1)
            #expect(payments.value("ozh_payments_pending") == 0)
            #expect(payments.value("ozh_payments_pending_oldest_age_seconds") == 0)
            #expect((payments.value("ozh_jobs_total", ["kind": "confirm_payment", "outcome": "succeeded"]) ?? 0) >= 1)

            for port in [stack.generationPort, stack.paymentPort] {
                let health = try await metricsPortGet(port, "/health")
                #expect(health.status == 200)
                #expect(jsonObject(health.body)["status"] as? String == "ok")
                let ready = try await metricsPortGet(port, "/ready")
                #expect(ready.status == 200, "\(ready.body)")
                #expect(jsonObject(ready.body)["status"] as? String == "ready")
                let missing = try await metricsPortGet(port, "/users")
                #expect(missing.status == 404)
                #expect(errorCode(jsonObject(missing.body)) == "not_found")
            }
        }
    }

    @Test func readyNamesTheDependencyThatDoesNotAnswer() async throws {
        let deadMongo = try freeLoopbackPort()
        let port = try freeLoopbackPort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-ready-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let process = try Executables.launch(
            "ozh-payment-worker",
            try ProcessLifecycleTests.environment([
                "MONGO_URI": "mongodb://127.0.0.1:\(deadMongo)/?serverSelectionTimeoutMS=300",
                "METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(port)",
            ]), log: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(await Executables.waitForLog(log, containing: "waiting for jobs", within: .seconds(30)))
        #expect(try await metricsPortGet(port, "/health").status == 200, "alive even without Mongo")
        let ready = try await metricsPortGet(port, "/ready")
        #expect(ready.status == 503)
        let body = jsonObject(ready.body)
        #expect(errorCode(body) == "not_ready")
        #expect(errorMessage(body).contains("mongo"), "\(ready.body)")
        #expect(!errorMessage(body).contains("redis"), "Redis answers: \(ready.body)")
        // /metrics still answers; the collector that reads Mongo reports its failure.
        let metrics = try await scrapeWorker(port)
        #expect(metrics.value("ozh_metrics_collector_up", ["collector": "pending_payments"]) == 0)
        kill(process.processIdentifier, SIGTERM)
        #expect(await Executables.waitForExit(process, within: .seconds(15)) == 0)
    }

    @Test func aTakenMetricsPortStopsStartUpWithOneLineNamingTheSetting() async throws {
        try await withListeningLoopbackPort { port in
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-taken-\(UUID().uuidString).log")
            defer { try? FileManager.default.removeItem(at: log) }
            let process = try Executables.launch(
                "ozh-generation-worker",
                try ProcessLifecycleTests.environment([
                    "GEMINI_API_KEYS_STR": "p1:metrics-test-key", "METRICS_HOST": "127.0.0.1", "METRICS_PORT": "\(port)",
                ]), log: log)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            #expect(await Executables.waitForExit(process, within: .seconds(30)) == 2)
            let content = try String(contentsOf: log, encoding: .utf8)
            #expect(content.contains("METRICS_PORT"), "\(content)")
            #expect(!content.contains("waiting for jobs"), "it must not start taking jobs")
        }
    }
}
