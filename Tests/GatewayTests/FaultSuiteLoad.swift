import Foundation
import Synchronization
import TestSupport

@testable import APIGateway
@testable import OzhDomain
@testable import OzhImages
@testable import OzhSupport

/// The bot side of the fault suite: users that submit drawings and buy packs through the
/// public API the way a careful bot does: every job-creating request carries an
/// `Idempotency-Key` and is retried with the same key after a 5xx, a lost connection or
/// `429 too_many_jobs`. Anything else unexpected is recorded as an anomaly.
final class FaultLoad: Sendable {
    struct SubmittedJob: Sendable {
        var id: String
        var chatID: Int64
    }

    struct PaymentCase: Sendable {
        var index: Int
        var chatID: Int64
        var quantity: Int
        var paymentID: String
        var paid: Bool
    }

    let plan: FaultPlan
    let api: FaultAPI
    let record: FaultRecord
    /// Chat ids of the users, in order; user i ≥ users/2 was referred by user i - users/2.
    let chats: [Int64]
    let drawing = try! MagickImage.makeImage(width: 96, height: 72, format: .png, color: "#33aa66")
    private let submitted = Mutex<[SubmittedJob]>([])
    private let paymentCases = Mutex<[PaymentCase]>([])

    init(plan: FaultPlan, api: FaultAPI, record: FaultRecord) {
        self.plan = plan
        self.api = api
        self.record = record
        let base = Int64.random(in: 1_000_000...9_000_000) * 1000
        chats = (0..<plan.users).map { base + Int64($0) }
    }

    var jobs: [SubmittedJob] { submitted.withLock { $0 } }
    var payments: [PaymentCase] { paymentCases.withLock { $0 } }

    /// The referrer of `chat`, if it registered with one.
    func referrer(of chat: Int64) -> Int64? {
        guard let index = chats.firstIndex(of: chat), index >= plan.users / 2 else { return nil }
        return chats[index - plan.users / 2]
    }

    /// Registers every user (the second half with the first half's referral codes) and gives
    /// each `initialGrant` ozhivashki with a ledger operation, before any fault.
    func registerUsers(_ ledger: Ledger) async throws {
        for chat in chats {
            let referral = referrer(of: chat).map { #", "referral_code": "ref_\#($0)""# } ?? ""
            let answer = try await api.call("POST", "/users", json: #"{"chat_id": \#(chat)\#(referral)}"#)
            guard answer.status == 201 else { throw TestSetupError("POST /users answered \(answer.label)") }
            let grant = plan.initialGrant
            _ = try await ledger.apply(operationID: "fault_grant:\(chat)", chatID: chat, now: Date.nowMillis) { _ in
                BalanceChange(delta: grant, reason: "grant", ref: "fault-suite")
            }
        }
    }

    /// User `user` submits its jobs one after another with random pauses.
    func submitJobs(user: Int) async {
        var random = SplitMix64(seed: plan.seed &+ UInt64(user + 1) &* 7919)
        let chat = chats[user]
        for n in 0..<plan.jobsPerUser where !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int.random(in: 100...1500, using: &random)))
            let key = "fault-\(plan.seed)-\(chat)-\(n)"
            let answer = await retrying("POST /generate (user \(chat), job \(n))", random: &random) {
                try await self.api.generate(chatID: chat, image: self.drawing, key: key)
            }
            guard let answer else { continue }
            guard answer.status == 202, let id = answer.body["job_id"] as? String else {
                record.anomaly("POST /generate (user \(chat), job \(n)) answered \(answer.label): \(answer.body)")
                continue
            }
            submitted.withLock { $0.append(SubmittedJob(id: id, chatID: chat)) }
        }
    }

    /// Payment `index`: create it, wait until it exists, then pay (or cancel) it as the payer
    /// would on YooKassa's page, which sends the webhook (twice).
    func runPayment(index: Int, stack: GenerationStack) async {
        var random = SplitMix64(seed: plan.seed &+ UInt64(index + 1) &* 104_729)
        try? await Task.sleep(for: .milliseconds(Int.random(in: 0...40_000, using: &random)))
        let chat = chats[index % chats.count]
        let quantity = index % 3 == 0 ? 2 : 1
        let key = "fault-pay-\(plan.seed)-\(index)"
        let body = #"{"item_name": "Пакет '10 Оживашек'", "quantity": \#(quantity), "price": "\#(100 * quantity).00"}"#
        let created = await retrying("create_payment \(index)", random: &random) {
            try await self.api.call("POST", "/users/\(chat)/create_payment", json: body, headers: [("Idempotency-Key", key)])
        }
        guard let created else { return }
        guard created.status == 202, let jobID = created.body["job_id"] as? String else {
            record.anomaly("create_payment \(index) answered \(created.label): \(created.body)")
            return
        }
        guard let paymentID = await paymentID(of: jobID, index: index) else { return }
        try? await Task.sleep(for: .milliseconds(Int.random(in: 0...3000, using: &random)))
        let paid = !plan.cancels(index)
        let action = paid ? "succeed" : "cancel"
        let deadline = ContinuousClock.now + .seconds(30)
        while !Task.isCancelled {
            do {
                try await stack.sandboxCall("POST", "/_sandbox/yookassa/payments/\(paymentID)/\(action)", json: "{}")
                break
            } catch {
                guard ContinuousClock.now < deadline else {
                    record.anomaly("the sandbox refused to \(action) payment \(paymentID): \(error)")
                    return
                }
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        paymentCases.withLock { $0.append(PaymentCase(index: index, chatID: chat, quantity: quantity, paymentID: paymentID, paid: paid)) }
    }

    /// Long-polls the `create_payment` job until it succeeds; its result names the payment.
    private func paymentID(of jobID: String, index: Int) async -> String? {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, !Task.isCancelled {
            guard let answer = try? await api.call("GET", "/jobs/\(jobID)?wait=5"), answer.status == 200 else {
                try? await Task.sleep(for: .milliseconds(300))
                continue
            }
            switch answer.body["status"] as? String {
            case "succeeded":
                guard let id = (answer.body["result"] as? [String: Any])?["payment_id"] as? String else {
                    record.anomaly("create_payment \(index) succeeded without a payment_id: \(answer.body)")
                    return nil
                }
                return id
            case "failed":
                record.anomaly("create_payment \(index) failed: \(answer.body)")
                return nil
            default:
                continue
            }
        }
        record.anomaly("create_payment \(index) (job \(jobID)) did not finish within 120 s")
        return nil
    }

    /// Sends `request` until it gets an answer that is not worth retrying (bounded: 120 s);
    /// nil (and an anomaly) when it never does.
    private func retrying(
        _ what: String, random: inout SplitMix64,
        _ request: @Sendable () async throws -> FaultAPI.Answer
    ) async -> FaultAPI.Answer? {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, !Task.isCancelled {
            do {
                let answer = try await request()
                let busy = answer.status == 429 && answer.code == "too_many_jobs"
                guard answer.status >= 500 || busy else { return answer }
                record.retried(answer.label)
                // 503 (a dependency is down) is the contract; 500 means a bug, even if a retry helps.
                if answer.status == 500 { record.anomaly("\(what) answered \(answer.label): \(answer.body)") }
                // `Retry-After` of too_many_jobs is 10 s; a bot polling its jobs comes back sooner.
                let pause = busy ? 800...2000 : 300...1000
                try? await Task.sleep(for: .milliseconds(Int.random(in: pause, using: &random)))
            } catch {
                record.retried("no answer (\(type(of: error)))")
                try? await Task.sleep(for: .milliseconds(Int.random(in: 300...1000, using: &random)))
            }
        }
        record.anomaly("\(what) got no final answer within 120 s")
        return nil
    }
}
