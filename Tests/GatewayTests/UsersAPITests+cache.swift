import Foundation
import Logging
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhMongo
@testable import OzhRedis
@testable import OzhSupport

/// `GET /users/{chat_id}` through the user cache (``UserCache``): a current copy is served
/// without MongoDB, and no write is ever hidden behind a copy.
@Suite("Users: the read cache", .serialized, .needsServers)
struct UserCacheTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#3366ff")

    @Test func aRepeatedReadSendsNoMongoDBCommand() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5301}"#).status == 201)
            let first = try await MongoRoundTripTests.commands(services, expect: 200) { try await client.call(.get, "/users/5301").status }
            #expect(first == [MongoRoundTripTests.key("users", "find"): 1], "the first read fills the cache")
            for _ in 0..<3 {
                let again = try await MongoRoundTripTests.commands(services, expect: 200) {
                    try await client.call(.get, "/users/5301").status
                }
                #expect(again.isEmpty, "a read within USER_CACHE_TTL_MS is served from Redis: \(again)")
            }
        }
    }

    @Test func everyWriteIsSeenByTheNextRead() async throws {
        try await GatewayHarness.withGateway(["MAX_ACTIVE_GENERATIONS": "5"]) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5302}"#).status == 201)
            func read() async throws -> [String: Any] {
                let (status, body) = try await client.call(.get, "/users/5302")
                #expect(status == 200)
                return body
            }
            #expect(try await read()["ozhivashki"] as? Int == 1)
            #expect(try await read()["ozhivashki"] as? Int == 1) // now cached
            // The daily bonus (a ledger operation in the gateway).
            #expect(try await client.call(.post, "/users/5302/daily_bonus").status == 200)
            #expect(try await read()["ozhivashki"] as? Int == 2)
            // The bot's edit.
            #expect(try await client.call(.patch, "/users/5302", json: #"{"username": "renamed", "discount_offered": true}"#).status == 200)
            let edited = try await read()
            #expect(edited["username"] as? String == "renamed")
            #expect(edited["discount_offered"] as? Bool == true)
            // A charge (POST /generate).
            #expect(try await client.generate(chatID: "5302", image: Self.drawing).0 == 202)
            #expect(try await read()["ozhivashki"] as? Int == 1)
            // A payment recorded and credited by the payment service (as the payment worker does).
            let payments = PaymentService(mongo: services.mongo, ledger: services.users.ledger)
            let order = PaymentService.Order(chatID: 5302, item: "pack", quantity: 1, ozhivashki: 10, amountKopecks: 10_000)
            try await payments.recordCreated(
                try PaymentUserDocumentTests.payment("pay-5302"), order: order, jobID: "job-5302",
                now: Date.nowMillis, firstCheckAt: Date.nowMillis)
            let pending = try await read()
            #expect((pending["yookassa_payments"] as? [String: Any])?["pay-5302"] != nil, "\(pending)")
            #expect(try await payments.settle(try PaymentUserDocumentTests.payment("pay-5302", status: "succeeded"), now: Date.nowMillis))
            let credited = try await read()
            #expect(credited["ozhivashki"] as? Int == 11)
            #expect(((credited["yookassa_payments"] as? [String: Any])?["pay-5302"] as? [String: Any])?["status"] as? String == "succeeded")
        }
    }

    /// A copy answers exactly what MongoDB does, dates inside `yookassa_payments` included.
    @Test func aCachedAnswerIsTheAnswerFromMongoDB() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5306}"#).status == 201)
            let payments = PaymentService(mongo: services.mongo, ledger: services.users.ledger)
            let order = PaymentService.Order(chatID: 5306, item: "pack", quantity: 1, ozhivashki: 10, amountKopecks: 10_000)
            try await payments.recordCreated(
                try PaymentUserDocumentTests.payment("pay-5306"), order: order, jobID: "job-5306",
                now: Date.nowMillis, firstCheckAt: Date.nowMillis)
            func body() async throws -> String {
                try await client.execute(uri: "/users/5306", method: .get, headers: GatewayHarness.headers(json: false)) { response in
                    String(buffer: response.body)
                }
            }
            let fromMongo = try await body()
            let fromCopy = try await body()
            #expect(try #require(await services.users.cache.lookup(5306)).user != nil, "the second read was served from the copy")
            #expect(fromCopy == fromMongo)
            #expect(fromMongo.contains(#""created_at":"20"#), "the payment's created_at is a timestamp: \(fromMongo)")
        }
    }

    /// The race a plain delete-on-write cache loses: a reader reads MongoDB, a writer writes and
    /// invalidates, then the reader stores what it read. Its copy carries the version it read
    /// before, so it is never served.
    @Test func aCopyReadBeforeAWriteIsNeverServedAfterIt() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5303}"#).status == 201)
            let cache = services.users.cache
            let before = try #require(await cache.lookup(5303))
            #expect(before.user == nil)
            let old = try await services.users.fetch(5303)
            // The writer: its MongoDB write, then its invalidation.
            #expect(try await client.call(.post, "/users/5303/daily_bonus").status == 200)
            await cache.store(old, after: before) // the slow reader stores the copy it read
            #expect(try #require(await cache.lookup(5303)).user == nil, "a copy stored under an old version is not served")
            #expect(try await client.call(.get, "/users/5303").1["ozhivashki"] as? Int == 2)
            // A copy stored under the current version is served as stored.
            let current = try #require(await cache.lookup(5303))
            #expect(current.user?.ozhivashki == 2)
        }
    }

    @Test func withRedisGoneUsersAreReadFromMongoDB() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5304}"#).status == 201)
            let port = try freeLoopbackPort()
            let nowhere = UserCache(
                redis: try RedisClient(url: "redis://127.0.0.1:\(port)/0"), prefix: "test:", ttl: .seconds(10),
                logger: Logger(label: "test"))
            #expect(await nowhere.lookup(5304) == nil, "an unreachable Redis turns the cache off")
            await nowhere.invalidate(5304) // logged, not thrown: the write it follows stands
            let users = UserService(mongo: services.mongo, calendar: services.users.calendar, cache: nowhere, logger: Logger(label: "test"))
            #expect(try await users.read(5304, now: Date.nowMillis).ozhivashki == 1)
        }
    }

    @Test func aZeroTTLReadsMongoDBEveryTime() async throws {
        try await GatewayHarness.withGateway(["USER_CACHE_TTL_MS": "0"]) { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 5305}"#).status == 201)
            for _ in 0..<2 {
                let read = try await MongoRoundTripTests.commands(services, expect: 200) { try await client.call(.get, "/users/5305").status }
                #expect(read == [MongoRoundTripTests.key("users", "find"): 1])
            }
        }
    }
}
