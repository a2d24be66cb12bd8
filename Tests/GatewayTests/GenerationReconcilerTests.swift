import Foundation
import Logging
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhMongo
@testable import OzhQueue
@testable import OzhSupport

@Suite("Refunds of generations that can no longer finish", .needsServers)
struct GenerationReconcilerTests {
    @Test func chargesWithoutAJobOrWithADeadJobAreRefundedOnce() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 71}"#).status == 201)
            _ = try await services.users.ledger.apply(operationID: "gift:71", chatID: 71, now: Date()) { _ in
                BalanceChange(delta: 4, reason: "gift")
            }
            let billing = GenerationBilling(ledger: services.users.ledger, maxActive: 10)
            let queue = services.queue
            // A: charged, then the gateway "died" before enqueueing.
            _ = try await billing.charge(jobID: "job-a", chatID: 71, now: Date.nowMillis)
            // B: charged and queued: it will run, so it is left alone.
            _ = try await billing.charge(jobID: "job-b", chatID: 71, now: Date.nowMillis)
            try await queue.enqueue(kind: JobKind.generation.name, queue: "generation", chatID: 71, id: "job-b")
            // C: charged, then dead without the handler's refund (recovered after its last attempt).
            _ = try await billing.charge(jobID: "job-c", chatID: 71, now: Date.nowMillis)
            try await queue.enqueue(kind: JobKind.generation.name, queue: "generation", chatID: 71, maxAttempts: 1, id: "job-c")
            let b = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
            #expect(b.id == "job-b")
            let c = try #require(try await queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
            _ = try await queue.fail(c, worker: "w", error: JobError(code: "timeout", message: "x"), retryable: true, backoff: .zero)
            #expect(try await queue.job(id: "job-c")?.status == .failed)
            #expect(try await client.call(.get, "/users/71").body["ozhivashki"] as? Int == 2)

            var logger = Logger(label: "test")
            logger.logLevel = .error
            let reconciler = GenerationReconciler(mongo: services.mongo, billing: billing, queue: queue, logger: logger)
            // C ended failed: refunded at once. A has no job but is too young to judge.
            #expect(try await reconciler.sweep(after: .seconds(600)).refunded == 1)
            try await Task.sleep(for: .milliseconds(20))
            // Pages of one user: every user with active generations is reached.
            #expect(try await reconciler.sweep(after: .milliseconds(1), pageSize: 1).refunded == 1)
            #expect(try await reconciler.sweep(after: .milliseconds(1)).refunded == 0, "refunds happen once")
            let (_, user) = try await client.call(.get, "/users/71")
            #expect(user["ozhivashki"] as? Int == 4, "A and C refunded, B still charged")
            let entries = try await services.users.ledger.entries(chatID: 71, limit: 50)
            #expect(entries.map(\.delta).reduce(0, +) == 4)
            #expect(Set(entries.filter { $0.reason == "refund" }.compactMap(\.ref)) == ["job-a", "job-c"])
        }
    }
}
