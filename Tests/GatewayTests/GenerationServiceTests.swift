import Foundation
import HTTPTypes
import Logging
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhImages
@testable import OzhMongo
@testable import OzhQueue
@testable import OzhRedis

/// ``GenerationService``'s seams: accepting refuses before it charges anything, and every
/// refund (the failed job's settlement, the sweep) goes through one path, once.
@Suite("Generation use cases", .serialized, .needsServers)
struct GenerationServiceTests {
    static let drawing = try! MagickImage.makeImage(width: 64, height: 48, format: .png, color: "#33aa66")

    /// A quota view that always answers `answer`.
    struct FixedCapacity: GenerationCapacity {
        let answer: QuotaAvailability
        func availability() async throws -> QuotaAvailability { answer }
    }

    /// A job attempt outside any worker: always held; progress goes nowhere.
    struct TestAttempt: GenerationAttempt {
        let job: Job
        var logger = Logger(label: "test")
        func confirmHeld() async throws {}
        func reportProgress(_ progress: String) async throws {}
    }

    func intake(_ services: GatewayServices, _ answer: QuotaAvailability) -> GenerationService.Intake {
        GenerationService.Intake(
            idempotency: services.idempotency, capacity: FixedCapacity(answer: answer), model: "m",
            mainImages: 1, normalize: { try await MagickImage.normalizeAsync($0, maxSide: 512, output: .png).data })
    }

    func upload(_ chatID: Int64, key: String? = nil) -> GenerationService.Upload {
        GenerationService.Upload(chatID: chatID, image: Self.drawing, idempotencyKey: key, callback: [])
    }

    /// Reserves the next generation job and fails it for good, as a worker's last attempt would.
    func failInQueue(_ services: GatewayServices, _ jobID: String) async throws {
        let job = try #require(try await services.queue.reserve(queue: "generation", worker: "w", timeout: .seconds(1)))
        #expect(job.id == jobID)
        _ = try await services.queue.fail(
            job, worker: "w", error: JobError(code: "safety_block", message: "x"), retryable: false,
            backoff: .zero)
        #expect(try await services.queue.job(id: jobID)?.status == .failed)
    }

    @Test func refusalsMapTheQuotaWaitReasons() async throws {
        let until = Date().addingTimeInterval(30)
        let day = try await GenerationService.refusal(FixedCapacity(answer: .wait(until: until, reason: .day)))
        #expect(day == .quotaExhausted(retryAfter: day?.retryAfter ?? 0))
        #expect((29...31).contains(day?.retryAfter ?? 0))
        let disabled = try await GenerationService.refusal(FixedCapacity(answer: .wait(until: until, reason: .allDisabled)))
        #expect(disabled == .generationUnavailable(retryAfter: disabled?.retryAfter ?? 0))
        #expect(try await GenerationService.refusal(FixedCapacity(answer: .available(project: "p"))) == nil)
        let past = try await GenerationService.refusal(FixedCapacity(answer: .wait(until: Date().addingTimeInterval(-5), reason: .day)))
        #expect(past?.retryAfter == 1, "at least one second")
        // The gateway's answers for them, as before the use case moved.
        let answer = GenerateRoutes.refused(.quotaExhausted(retryAfter: 7))
        #expect(answer.status == .serviceUnavailable && answer.code == "quota_exhausted" && answer.headers[.retryAfter] == "7")
        #expect(GenerateRoutes.refused(.generationUnavailable(retryAfter: 2)).code == "generation_unavailable")
    }

    @Test func acceptRefusesBeforeChargingAndTheRetryCompletesTheSameJob() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 901}"#).status == 201)
            let service = services.generation
            let request = upload(901, key: "svc-refused-key-1")
            let spent = intake(services, .wait(until: Date().addingTimeInterval(90), reason: .day))
            let refused = try await service.accept(request, intake: spent, logger: services.logger)
            guard case .refused(let refusal, let jobID) = refused else {
                Issue.record("expected a refusal, got \(refused)")
                return
            }
            #expect(refusal == .quotaExhausted(retryAfter: refusal.retryAfter) && (89...91).contains(refusal.retryAfter))
            #expect(try await services.queue.job(id: jobID) == nil, "nothing queued")
            #expect(try await services.billing.settlement(jobID: jobID, chatID: 901) == .notCharged, "nothing charged")
            #expect(try await services.mongo.collection("images.files").countDocuments() == 0, "nothing stored")
            #expect(try await services.mongo.collection("generations").countDocuments() == 0, "no record, no drawing in one")
            #expect(try await client.call(.get, "/users/901").body["ozhivashki"] as? Int == 1)
            // The key stays claimed: the same request, once quota is back, completes the same job.
            let open = intake(services, .available(project: "p"))
            #expect(try await service.accept(request, intake: open, logger: services.logger) == .accepted(jobID: jobID))
            #expect(try await services.billing.settlement(jobID: jobID, chatID: 901) == .unsettled)
            #expect(try await services.queue.job(id: jobID)?.status == .queued)
            // Once queued, a retry is answered with the job and charges nothing more.
            #expect(try await service.accept(request, intake: spent, logger: services.logger) == .replayed(jobID: jobID))
            #expect(try await client.call(.get, "/users/901").body["ozhivashki"] as? Int == 0)
        }
    }

    @Test func theFailedJobsSettlementAndTheSweepRefundThroughOnePathOnce() async throws {
        try await GatewayHarness.withGateway { client, services in
            #expect(try await client.call(.post, "/users", json: #"{"chat_id": 902}"#).status == 201)
            _ = try await services.users.ledger.apply(operationID: "gift:902", chatID: 902, now: Date()) { _ in
                BalanceChange(delta: 2, reason: "gift")
            }
            let service = services.generation
            let open = intake(services, .available(project: "p"))
            // A: its last attempt fails for good; the handler's settlement refunds it, then the sweep finds nothing to do.
            let a = try await service.accept(upload(902), intake: open, logger: services.logger).jobID
            #expect(try await client.call(.get, "/users/902").body["ozhivashki"] as? Int == 2)
            let jobA = try #require(try await services.queue.job(id: a))
            try await service.settleFailure(
                TestAttempt(job: jobA), chatID: 902,
                JobFailure(code: "safety_block", message: "blocked", retryable: false))
            #expect(try await client.call(.get, "/users/902").body["ozhivashki"] as? Int == 3)
            let record = try #require(try await services.mongo.collection("generations").findOne(["_id": .string(a)]))
            #expect(record["status"]?.stringValue == "failed")
            #expect(record["error"]?.documentValue?["code"]?.stringValue == "safety_block")
            try await failInQueue(services, a)
            #expect(try await service.sweep(after: .seconds(600)).refunded == 0, "already refunded by the handler")
            // A repeat replays the same ledger operation: the same answer, nothing changes; a success can no longer settle.
            #expect(try await service.refund(jobID: a, chatID: 902) == .refunded(balance: 3))
            await #expect(throws: BillingError.alreadySettled(jobID: a)) { _ = try await service.settleSuccess(jobID: a, chatID: 902) }

            // B: ends failed without its refund; the sweep refunds it, and a late attempt settles nothing more.
            let b = try await service.accept(upload(902), intake: open, logger: services.logger).jobID
            try await failInQueue(services, b)
            #expect(try await service.sweep(after: .seconds(600)).refunded == 1)
            #expect(try await client.call(.get, "/users/902").body["ozhivashki"] as? Int == 3)
            let limiter = try QuotaLimiter(
                redis: services.redis, keyring: GeminiKeyring(string: "p:key-p-1111"),
                limits: services.settings.gemini.quotaLimits, prefix: services.settings.redis.prefix)
            let engine = GenerationService.Engine(
                limiter: limiter, gemini: GeminiClient(baseURL: "http://127.0.0.1:9", http: HTTPClient()),
                model: "m", prompt: "p", maxPostpone: .seconds(3600))
            let jobB = try #require(try await services.queue.job(id: b))
            let payload = try JobKind.generation.decode(payload: jobB.payload)
            await #expect(
                throws: JobFailure(
                    code: "already_refunded", message: "this generation was refunded; submit it again",
                    retryable: false)
            ) {
                _ = try await service.run(TestAttempt(job: jobB), payload, engine: engine)
            }
            #expect(try await client.call(.get, "/users/902").body["ozhivashki"] as? Int == 3, "refunded once")
            let entries = try await services.users.ledger.entries(chatID: 902, limit: 50)
            #expect(entries.filter { $0.reason == "refund" }.compactMap(\.ref).sorted() == [a, b].sorted())
        }
    }
}
