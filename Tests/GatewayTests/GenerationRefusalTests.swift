import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhMongo
@testable import OzhRedis

/// A gateway that knows the Gemini projects only by name (as deployed, without the keys)
/// refuses generations that cannot run before charging them, and a refused generation
/// stores nothing.
@Suite("Generation refusals charge and store nothing", .serialized, .needsServers)
struct GenerationRefusalTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#3366ff")

    /// A limiter holding the keys the workers would have, on the gateway's Redis and limits.
    func workerLimiter(_ services: GatewayServices, keys: String) throws -> QuotaLimiter {
        try QuotaLimiter(
            redis: services.redis, keyring: GeminiKeyring(string: keys), limits: services.settings.gemini.quotaLimits,
            prefix: services.settings.redis.prefix)
    }

    /// Drawings stored (GridFS files, and drawings kept in a job's record) and `generations`
    /// records of the test database.
    func stored(_ services: GatewayServices) async throws -> (drawings: Int, records: Int) {
        let generations = services.mongo.collection("generations")
        return (
            try await services.mongo.collection("images.files").countDocuments()
                + generations.countDocuments(["input_image": ["$exists": true]]),
            try await generations.countDocuments()
        )
    }

    @Test func spentDayAnswers503QuotaExhaustedWithProjectsOnly() async throws {
        let settings = ["GEMINI_PROJECTS": "pa,pb", "GEMINI_RPD": "3"]
        try await GatewayHarness.withGateway(settings) { client, services in
            #expect(services.quota.keyLimiter == nil, "no secrets in the gateway")
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 501}"#).status == 201)
            // The workers spent every project's day (the limiter's own Redis state).
            let limiter = try workerLimiter(services, keys: "pa:key-pa-1111,pb:key-pb-2222")
            for _ in 0..<2 {
                let grant = try await limiter.acquire(model: "m", cost: 3)
                #expect(grant.project != nil, "\(grant)")
            }
            let (status, headers, body) = try await client.generateWithHeaders(chatID: "501", image: Self.drawing)
            #expect(status == 503)
            #expect(errorCode(body) == "quota_exhausted", "\(body)")
            let retryAfter = try #require(headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 25 * 3600)
            let (_, user) = try await client.call(.get, "/users/501")
            #expect(user["ozhivashki"] as? Int == 1, "nothing charged")
            #expect(try await stored(services) == (0, 0), "nothing stored")
        }
    }

    @Test func everyKeyDisabledAnswers503GenerationUnavailableWithProjectsOnly() async throws {
        try await GatewayHarness.withGateway(["GEMINI_PROJECTS": "pa,pb"]) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 502}"#).status == 201)
            let limiter = try workerLimiter(services, keys: "pa:key-pa-1111,pb:key-pb-2222,pb:key-pb-3333")
            try await limiter.publishKeyring()
            for key in limiter.keyring.keys { try await limiter.disable(key: key, reason: "API_KEY_INVALID") }
            let (status, headers, body) = try await client.generateWithHeaders(chatID: "502", image: Self.drawing)
            #expect(status == 503)
            #expect(errorCode(body) == "generation_unavailable", "\(body)")
            #expect(headers[.retryAfter] != nil)
            let (_, user) = try await client.call(.get, "/users/502")
            #expect(user["ozhivashki"] as? Int == 1, "nothing charged")
            #expect(try await stored(services) == (0, 0), "nothing stored")
            // One key back in rotation: the same request is accepted.
            try await limiter.enable(key: limiter.keyring.keys[2])
            let (accepted, acceptedBody) = try await client.generate(chatID: "502", image: Self.drawing)
            #expect(accepted == 202, "\(acceptedBody)")
        }
    }

    @Test func refusedGenerationsLeaveNoFile() async throws {
        try await GatewayHarness.withGateway { client, services in
            // 404: an unknown user.
            let (unknown, unknownBody) = try await client.generate(chatID: "777000", image: Self.drawing)
            #expect(unknown == 404 && errorCode(unknownBody) == "user_not_found", "\(unknownBody)")
            #expect(try await stored(services) == (0, 0))
            // 402: balance 0 after a first generation (queued; no worker runs it).
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 503}"#).status == 201)
            #expect(try await client.generate(chatID: "503", image: Self.drawing).status == 202)
            #expect(try await stored(services) == (1, 1))
            let (broke, brokeBody) = try await client.generate(chatID: "503", image: Self.drawing, idempotencyKey: "retry-after-402-key")
            #expect(broke == 402 && errorCode(brokeBody) == "insufficient_balance", "\(brokeBody)")
            #expect(try await stored(services) == (1, 1), "the refused drawing is not stored")
            // The retry of the refused request, once the user has an ozhivashka again, stores one drawing.
            #expect(try await client.call(.post, "/users/503/daily_bonus").status == 200)
            let (retried, retriedBody) = try await client.generate(chatID: "503", image: Self.drawing, idempotencyKey: "retry-after-402-key")
            #expect(retried == 202, "\(retriedBody)")
            let (again, againBody) = try await client.generate(chatID: "503", image: Self.drawing, idempotencyKey: "retry-after-402-key")
            #expect(again == 202 && againBody["job_id"] as? String == retriedBody["job_id"] as? String)
            #expect(try await stored(services) == (2, 2), "one drawing per job")
        }
        try await GatewayHarness.withGateway(["MAX_ACTIVE_GENERATIONS": "1"]) { client, services in
            // 429: one unfinished generation already.
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 504}"#).status == 201)
            #expect(try await client.call(.post, "/users/504/daily_bonus").status == 200)
            #expect(try await client.generate(chatID: "504", image: Self.drawing).status == 202)
            let (busy, busyBody) = try await client.generate(chatID: "504", image: Self.drawing)
            #expect(busy == 429 && errorCode(busyBody) == "too_many_jobs", "\(busyBody)")
            #expect(try await stored(services) == (1, 1), "the refused drawing is not stored")
        }
    }

    @Test func workersPublishTheirKeyringSoAProjectsOnlyGatewaySeesEveryKeyDisabled() async throws {
        let keys = "p1:key-one-aaaa,p2:key-two-bbbb"
        let settings = ["GEMINI_API_KEYS_STR": "", "GEMINI_PROJECTS": "p1,p2", "MAIN_IMAGES": "1"]
        try await GenerationStack.run(workers: 0, settings: settings) { client, services, stack in
            #expect(services.quota.keyLimiter == nil)
            try await stack.startWorker(services.settings, ["GEMINI_API_KEYS_STR": keys])
            let published = QuotaLimiter.publishedKeyringKey(prefix: services.settings.redis.prefix)
            let deadline = ContinuousClock.now + .seconds(10)
            var view: [String: String] = [:]
            while view.count < 2, ContinuousClock.now < deadline {
                view = try await services.redis.send(["HGETALL", published]).pairs
                if view.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(Set(view.keys) == ["p1", "p2"], "the worker published its keyring: \(view)")
            #expect(!view.values.joined().contains("key-one") && !view.values.joined().contains("key-two"), "no secret: \(view)")
            // The projects-only gateway runs generations...
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 505}"#).status == 201)
            #expect(try await client.call(.post, "/users/505/daily_bonus").status == 200)
            let (status, body) = try await client.generate(chatID: "505", image: Self.drawing, query: "?wait=30")
            #expect(status == 200, "\(body)")
            // ...and refuses them, charging nothing, once every published key is disabled.
            let limiter = try workerLimiter(services, keys: keys)
            for key in limiter.keyring.keys { try await limiter.disable(key: key, reason: "PERMISSION_DENIED") }
            let (refused, refusedBody) = try await client.generate(chatID: "505", image: Self.drawing)
            #expect(refused == 503 && errorCode(refusedBody) == "generation_unavailable", "\(refusedBody)")
            let (_, user) = try await client.call(.get, "/users/505")
            #expect(user["ozhivashki"] as? Int == 1, "only the first generation was charged")
        }
    }
}
