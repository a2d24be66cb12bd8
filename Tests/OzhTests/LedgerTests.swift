import Foundation
import Logging
import TestSupport
import Testing

@testable import OzhDomain
@testable import OzhMongo

@Suite("Ledger and user rules", .needsMongo)
struct LedgerTests {
    static func service(_ mongo: MongoClient, zone: String = "Europe/Moscow") -> UserService {
        UserService(mongo: mongo, calendar: BonusCalendar(timeZone: TimeZone(identifier: zone)!), cache: .disabled, logger: Logger(label: "test"))
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func streakGrowsOnConsecutiveDaysInTheBonusTimeZone() async throws {
        try await MongoTestSupport.withClient { mongo in
            let users = Self.service(mongo)
            _ = try await users.register(
                UserRegistration(chatID: 1, username: nil, referralCode: nil, advertisingSource: nil),
                now: Self.date("2026-11-20T10:00:00Z"))
            // 20:30 UTC on the 20th is already the 21st in Moscow (UTC+3).
            #expect(try await users.claimDailyBonus(1, now: Self.date("2026-11-20T10:00:00Z")).dailyBonusStreak == 1)
            #expect(try await users.claimDailyBonus(1, now: Self.date("2026-11-20T21:30:00Z")).dailyBonusStreak == 2)
            await #expect(throws: BillingError.dailyBonusAlreadyClaimed(day: "2026-11-21")) {
                try await users.claimDailyBonus(1, now: Self.date("2026-11-21T12:00:00Z"))
            }
            #expect(try await users.claimDailyBonus(1, now: Self.date("2026-11-22T12:00:00Z")).dailyBonusStreak == 3)
            // A missed day restarts the streak.
            let restarted = try await users.claimDailyBonus(1, now: Self.date("2026-11-24T12:00:00Z"))
            #expect(restarted.dailyBonusStreak == 1)
            #expect(restarted.ozhivashki == 5)
        }
    }

    @Test func manyConcurrentOperationsApplyOnceAndTheLedgerSumsToTheBalance() async throws {
        try await MongoTestSupport.withClient { mongo in
            let users = Self.service(mongo)
            let ledger = users.ledger
            let now = Date()
            for chat in 1...3 {
                _ = try await users.register(
                    UserRegistration(
                        chatID: Int64(chat), username: nil, referralCode: nil,
                        advertisingSource: nil), now: now)
                _ = try await ledger.apply(operationID: "t:\(chat):start", chatID: Int64(chat), now: now) { _ in
                    BalanceChange(delta: 10, reason: "test")
                }
            }
            // 3 users × 20 operations, each operation submitted 3 times concurrently.
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for chat in 1...3 {
                    for op in 0..<20 {
                        for _ in 0..<3 {
                            group.addTask {
                                let delta: Int64 = op % 4 == 3 ? -1 : 2
                                let outcome = try await ledger.apply(operationID: "t:\(chat):\(op)", chatID: Int64(chat), now: Date()) { _ in
                                    BalanceChange(delta: delta, reason: "test", ref: "\(op)")
                                }
                                if case .applied = outcome { return true }
                                return false
                            }
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 60)
            for chat in 1...3 {
                let user = try #require(try await mongo.collection("users").findOne(["_id": .int64(Int64(chat))], as: UserRecord.self))
                let entries = try await ledger.entries(chatID: Int64(chat), limit: 500)
                #expect(entries.count == 22)
                #expect(entries.map(\.delta).reduce(0, +) == user.ozhivashki)
                #expect(user.ozhivashki == 1 + 10 + 15 * 2 - 5)
                #expect(entries.first?.balanceAfter == user.ozhivashki)
            }
        }
    }

    @Test func refusesToGoNegative() async throws {
        try await MongoTestSupport.withClient { mongo in
            let users = Self.service(mongo)
            _ = try await users.register(UserRegistration(chatID: 9, username: nil, referralCode: nil, advertisingSource: nil), now: Date())
            _ = try await users.ledger.apply(operationID: "spend:1", chatID: 9, now: Date()) { _ in BalanceChange(delta: -1, reason: "spend") }
            await #expect(throws: BillingError.insufficientBalance(balance: 0, needed: 1)) {
                try await users.ledger.apply(operationID: "spend:2", chatID: 9, now: Date()) { _ in BalanceChange(delta: -1, reason: "spend") }
            }
            #expect(try await users.ledger.entries(chatID: 9, limit: 10).map(\.delta).reduce(0, +) == 0)
        }
    }

    @Test func aLostLedgerWriteIsRepairedOnRetry() async throws {
        try await MongoTestSupport.withClient { mongo in
            let users = Self.service(mongo)
            _ = try await users.register(UserRegistration(chatID: 4, username: nil, referralCode: nil, advertisingSource: nil), now: Date())
            _ = try await users.ledger.apply(operationID: "gift:1", chatID: 4, now: Date()) { _ in BalanceChange(delta: 3, reason: "gift") }
            // Simulate a crash between the user update and the ledger insert.
            try await mongo.collection("ledger").deleteOne(["_id": "gift:1"])
            let again = try await users.ledger.apply(operationID: "gift:1", chatID: 4, now: Date()) { _ in BalanceChange(delta: 3, reason: "gift") }
            guard case .alreadyApplied(let user) = again else { Issue.record("applied twice"); return }
            #expect(user.ozhivashki == 4)
            #expect(try await users.ledger.entries(chatID: 4, limit: 10).map(\.delta).reduce(0, +) == 4)
        }
    }

    /// The compare-and-set is a plain update that returns no document: the user an operation
    /// answers with is the one it read with the update applied, and must be exactly what MongoDB
    /// then holds (balance, `rev`, `ops`, the `$set` fields, an `$inc` counter, dates to the ms).
    @Test func theUserAnOperationAnswersWithIsTheStoredOne() async throws {
        try await MongoTestSupport.withClient { mongo in
            let users = Self.service(mongo)
            let billing = GenerationBilling(ledger: users.ledger, maxActive: 2)
            _ = try await users.register(UserRegistration(chatID: 21, username: "ann", referralCode: nil, advertisingSource: nil), now: Date())
            func stored() async throws -> UserRecord {
                try #require(try await mongo.collection("users").findOne(["_id": .int64(21)], as: UserRecord.self))
            }
            let bonus = try await users.claimDailyBonus(21, now: Date())
            #expect(bonus == (try await stored()))
            _ = try await billing.charge(jobID: "pi-1", chatID: 21, now: Date())
            let charged = try await users.ledger.apply(operationID: "x", chatID: 21, now: Date()) { user in
                BalanceChange(delta: 2, reason: "test", set: ["last_activity_time": .date(Date())], inc: ["generation_count": 3])
            }
            guard case .applied(let user) = charged else { Issue.record("not applied"); return }
            let now = try await stored()
            #expect(user == now)
            #expect(now.generationCount == 3 && now.ozhivashki == 1 + 1 - 1 + 2 && now.activeGenerations == ["pi-1"])
            #expect(try await billing.succeed(jobID: "pi-1", chatID: 21, now: Date()) == now.ozhivashki)
            let settled = try await stored()
            #expect(settled.generationCount == 4 && settled.activeGenerations == [] && settled.firstGenerationTime != nil)
            #expect(settled.rev == now.rev + 1 && settled.ops.last?.id == "generation_success:pi-1")
        }
    }

    /// An operation costs three commands (read the user, compare-and-set, ledger insert) while
    /// the user's window of recent operations holds every operation ever applied; past it the
    /// ledger is read too, and an operation that left the window is still refused.
    @Test func anOperationReadsTheLedgerOnlyOnceTheWindowOverflowed() async throws {
        try await MongoTestSupport.withClient { mongo in
            let users = Self.service(mongo)
            let ledger = users.ledger
            _ = try await users.register(UserRegistration(chatID: 12, username: nil, referralCode: nil, advertisingSource: nil), now: Date())
            let before = mongo.commands.snapshot
            _ = try await ledger.apply(operationID: "w:first", chatID: 12, now: Date()) { _ in BalanceChange(delta: 1, reason: "test") }
            #expect(
                mongo.commands.since(before) == [
                    .init("users", "find"): 1, .init("users", "update"): 1,
                    .init("ledger", "insert"): 1,
                ])
            for n in 0..<Ledger.recentOperations {
                _ = try await ledger.apply(operationID: "w:\(n)", chatID: 12, now: Date()) { _ in BalanceChange(delta: 1, reason: "test") }
            }
            let user = try #require(try await mongo.collection("users").findOne(["_id": .int64(12)], as: UserRecord.self))
            #expect(!user.ops.contains { $0.id == "w:first" }, "the first operation left the window")
            let replayed = mongo.commands.snapshot
            let again = try await ledger.apply(operationID: "w:first", chatID: 12, now: Date()) { _ in BalanceChange(delta: 1, reason: "test") }
            guard case .alreadyApplied = again else { Issue.record("an operation older than the window applied twice"); return }
            #expect(mongo.commands.since(replayed) == [.init("users", "find"): 1, .init("ledger", "find"): 1])
            let entries = try await ledger.entries(chatID: 12, limit: 500)
            let balance = try #require(try await mongo.collection("users").findOne(["_id": .int64(12)], as: UserRecord.self)).ozhivashki
            #expect(balance == 1 + 1 + Int64(Ledger.recentOperations))
            #expect(entries.map(\.delta).reduce(0, +) == balance)
        }
    }
}
