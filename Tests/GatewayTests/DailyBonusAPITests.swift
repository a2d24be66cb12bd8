import Foundation
import TestSupport
import Testing

@testable import APIGateway

@Suite("Daily bonus and ledger API", .needsServers)
struct DailyBonusAPITests {
    @Test func claimOncePerDayAndLedgerAgrees() async throws {
        try await GatewayHarness.withGateway { client, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 31}"#).status == 201)
            let (status, user) = try await client.call(.post, "/users/31/daily_bonus")
            #expect(status == 200)
            #expect(user["ozhivashki"] as? Int == 2)
            #expect(user["daily_bonus_streak"] as? Int == 1)
            #expect(user["daily_bonus_claimed_today"] as? Bool == true)
            let (again, againBody) = try await client.call(.post, "/users/31/daily_bonus")
            #expect(again == 409)
            #expect(errorCode(againBody) == "daily_bonus_already_claimed")
            let (_, ledger) = try await client.call(.get, "/users/31/ledger")
            let entries = try #require(ledger["entries"] as? [[String: Any]])
            #expect(entries.map { $0["reason"] as? String } == ["daily_bonus", "signup"])
            #expect(entries.compactMap { $0["delta"] as? Int }.reduce(0, +) == 2)
            #expect(ledger["ozhivashki"] as? Int == 2)
            #expect(entries.first?["balance_after"] as? Int == 2)
            #expect(try await client.call(.post, "/users/404/daily_bonus").status == 404)
            #expect(try await client.call(.get, "/users/31/ledger?limit=0").status == 400)
        }
    }

    @Test func concurrentClaimsCreditOnce() async throws {
        try await GatewayHarness.withGateway { client, _ in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 32}"#).status == 201)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 { group.addTask { try await client.call(.post, "/users/32/daily_bonus").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 11)
            let (_, user) = try await client.call(.get, "/users/32")
            #expect(user["ozhivashki"] as? Int == 2)
        }
    }
}
