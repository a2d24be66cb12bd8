import Foundation
import TestSupport
import Testing

@testable import APIGateway

@Suite("Health and readiness", .needsServers)
struct HealthAPITests {
    @Test func readyNamesTheDependencyThatIsDown() async throws {
        let deadRedis = "redis://127.0.0.1:\(try freeLoopbackPort())/0"
        try await GatewayHarness.withGateway(["REDIS_URL": deadRedis]) { client, _ in
            #expect(try await client.call(.get, "/health", key: nil).status == 200)
            let (status, body) = try await client.call(.get, "/ready", key: nil)
            #expect(status == 503)
            #expect(errorCode(body) == "not_ready")
            #expect(errorMessage(body).contains("redis"))
            #expect(!errorMessage(body).contains("mongo"))
            // A call that needs the missing dependency is a clear 503 too, not a 500.
            let (users, usersBody) = try await client.call(.post, "/users", json: #"{"chat_id": 1}"#)
            #expect(users == 201 || users == 503, "users only need Mongo: \(users) \(usersBody)")
        }
    }
}
