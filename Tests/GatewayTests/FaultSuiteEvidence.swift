import Foundation

@testable import APIGateway
@testable import OzhDomain
@testable import OzhMongo
@testable import OzhQueue

/// Everything the fault suite's checks look at, read after the load has settled: each job as
/// the API shows it, the ledger, users and payments from MongoDB, and the sandbox's own counts.
struct FaultEvidence: @unchecked Sendable {
    struct JobState {
        var status: String
        var errorCode: String?
        var mainImages: Int?
        var bonusImages: Int?
    }

    var jobs: [String: JobState] = [:]
    var generationRecords: Set<String> = []
    var ledger: [LedgerEntry] = []
    var users: [Int64: UserRecord] = [:]
    var paymentRecords: [String: BSONDocument] = [:]
    var gemini: [String: Any] = [:]
    var yookassa: [String: Any] = [:]
    var webhooks: [[String: Any]] = []

    /// Waits (bounded) until every job has ended, every failed one is refunded, every payment
    /// carries the payer's decision, the queues are empty and no webhook is in flight.
    /// Returns what is still unsettled at the deadline (empty when all is).
    static func waitUntilSettled(
        _ load: FaultLoad, _ services: GatewayServices, _ stack: GenerationStack,
        within limit: Duration
    ) async -> [String] {
        let deadline = ContinuousClock.now + limit
        var ended: [String: JobStatus] = [:]
        var unsettled: [String] = []
        repeat {
            unsettled = []
            do {
                for job in load.jobs where ended[job.id] == nil {
                    if let status = try await services.queue.job(id: job.id)?.status, status.isFinal { ended[job.id] = status }
                }
                let running = load.jobs.filter { ended[$0.id] == nil }
                if !running.isEmpty { unsettled.append("\(running.count) jobs not ended, e.g. \(running[0].id)") }
                var unrefunded = 0
                for (id, status) in ended where status == .failed {
                    if try await !services.billing.ledger.isApplied("generation_refund:\(id)") { unrefunded += 1 }
                }
                if unrefunded > 0 { unsettled.append("\(unrefunded) failed jobs not refunded yet") }
                let payments = services.mongo.collection("payments")
                for payment in load.payments {
                    let status = try await payments.findOne(["_id": .string(payment.paymentID)])?["status"]?.stringValue
                    if status != (payment.paid ? "succeeded" : "canceled") {
                        unsettled.append("payment \(payment.paymentID) is \(status ?? "missing")")
                    } else if payment.paid, try await !services.billing.ledger.isApplied("purchase:\(payment.paymentID)") {
                        unsettled.append("payment \(payment.paymentID) not credited yet")
                    }
                }
                for queue in [QueueNames.generation, QueueNames.payment] {
                    let stats = try await services.queue.stats(queue: queue)
                    if stats.ready + stats.processing + stats.delayed > 0 {
                        unsettled.append("\(queue) queue: \(stats.ready) ready, \(stats.processing) processing, \(stats.delayed) delayed")
                    }
                }
                let webhooks = try await stack.sandboxCall("GET", "/_sandbox/yookassa/stats")["webhooks"] as? [String: Any]
                if let inFlight = webhooks?["in_flight"] as? Int, inFlight > 0 { unsettled.append("\(inFlight) webhooks in flight") }
            } catch {
                unsettled.append("cannot read the state yet: \(error)")
            }
            if unsettled.isEmpty { return [] }
            try? await Task.sleep(for: .seconds(1))
        } while ContinuousClock.now < deadline
        return unsettled
    }

    /// Reads the evidence; jobs through `GET /jobs/{id}` as the bot would see them.
    static func collect(_ load: FaultLoad, _ services: GatewayServices, _ stack: GenerationStack) async throws -> FaultEvidence {
        var evidence = FaultEvidence()
        for job in load.jobs {
            let answer = try await load.api.call("GET", "/jobs/\(job.id)")
            guard answer.status == 200 else {
                evidence.jobs[job.id] = JobState(status: "missing (\(answer.label))")
                continue
            }
            let result = answer.body["result"] as? [String: Any]
            evidence.jobs[job.id] = JobState(
                status: answer.body["status"] as? String ?? "?",
                errorCode: (answer.body["error"] as? [String: Any])?["code"] as? String,
                mainImages: (result?["main_images"] as? [Any])?.count, bonusImages: (result?["bonus_images"] as? [Any])?.count)
        }
        let ids = BSON.array(load.jobs.map { .string($0.id) })
        evidence.generationRecords = Set(
            try await services.mongo.collection("generations")
                .find(["_id": ["$in": ids]], projection: ["_id": 1]).compactMap { $0["_id"]?.stringValue })
        let chats = BSON.array(load.chats.map { .int64($0) })
        evidence.ledger = try await services.mongo.collection("ledger").find(["chat_id": ["$in": chats]], as: LedgerEntry.self)
        for user in try await services.mongo.collection("users").find(["_id": ["$in": chats]], as: UserRecord.self) {
            evidence.users[user.chatID] = user
        }
        let paymentIDs = BSON.array(load.payments.map { .string($0.paymentID) })
        for record in try await services.mongo.collection("payments").find(["_id": ["$in": paymentIDs]]) {
            if let id = record["_id"]?.stringValue { evidence.paymentRecords[id] = record }
        }
        evidence.gemini = try await stack.sandboxCall("GET", "/_sandbox/gemini/stats")
        evidence.yookassa = try await stack.sandboxCall("GET", "/_sandbox/yookassa/stats")
        evidence.webhooks = try await stack.sandboxCall("GET", "/_sandbox/yookassa/webhooks")["items"] as? [[String: Any]] ?? []
        return evidence
    }
}
