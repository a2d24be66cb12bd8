import Foundation
import TestSupport
import Testing

@testable import APIGateway
@testable import OzhDomain
@testable import OzhSupport

/// The fault-injection suite (issue 7 §1): one run of 200 generation jobs and 24 payments
/// through the real HTTP API while worker processes are SIGKILLed at random moments, Redis
/// is SIGKILLed and restarted from its AOF, SecantusDB is restarted on its storage, Gemini
/// answers 20% of calls with 503 and every YooKassa webhook arrives twice. Afterwards every
/// job has ended succeeded or failed-and-refunded, every user's ledger explains its balance,
/// every paid payment is credited exactly once and no Gemini project went over its limits.
///
/// It runs its own Redis and SecantusDB (it restarts them), the sandbox, the gateway in
/// process and the workers as processes. It prints a summary table of what it injected and
/// what it checked; on failure it keeps every process's log and prints where.
@Suite("Fault injection", .serialized, .needsServers)
struct FaultSuiteTests {
    @Test(.timeLimit(.minutes(6)))
    func jobsAndPaymentsSurviveCrashesRestartsAndFlakyUpstreams() async throws {
        let started = ContinuousClock.now
        let plan = FaultPlan()
        let servers = try await FaultServers.start()
        let stack: GenerationStack
        do {
            stack = try await GenerationStack(sandboxEnvironment: plan.sandboxEnvironment)
        } catch {
            servers.stop()
            throw error
        }
        let verdict: FaultVerdict
        do {
            verdict = try await GatewayHarness.withGateway(plan.gatewaySettings(servers, stack)) { client, services in
                try await Self.run(plan, servers, stack, gatewayPort: try #require(client.port), services, started: started)
            }
        } catch {
            Self.stop(stack, servers, keepLogs: true)
            throw error
        }
        Self.stop(stack, servers, keepLogs: !verdict.problems.isEmpty)
        for problem in verdict.problems { Issue.record("\(problem)") }
    }

    private static func stop(_ stack: GenerationStack, _ servers: FaultServers, keepLogs: Bool) {
        stack.stop(keepLogs: keepLogs)
        servers.stop(keepLogs: keepLogs)
        if keepLogs { print("fault suite logs kept in \(stack.logDirectory.path) and \(servers.directory.path)/logs") }
    }

    private static func run(
        _ plan: FaultPlan, _ servers: FaultServers, _ stack: GenerationStack, gatewayPort: Int,
        _ services: GatewayServices, started: ContinuousClock.Instant
    ) async throws -> FaultVerdict {
        defer { stack.stop(keepLogs: true) } // the workers must not outlive the gateway's database
        try await stack.sandboxCall(
            "POST", "/_sandbox/yookassa/config",
            json: #"{"webhook_url": "http://127.0.0.1:\#(gatewayPort)/webhooks/yookassa"}"#)
        let workers = FaultWorkers(stack: stack, settings: services.settings, plan: plan)
        for _ in 0..<plan.generationWorkers { try await workers.start(.generation) }
        for _ in 0..<plan.paymentWorkers { try await workers.start(.payment) }

        let record = FaultRecord()
        let load = FaultLoad(plan: plan, api: FaultAPI(baseURL: "http://127.0.0.1:\(gatewayPort)"), record: record)
        try await load.registerUsers(services.billing.ledger)
        var random = SplitMix64(seed: plan.seed)
        let chaos = FaultChaos(plan: plan, random: &random)
        let chaosRandom = random

        let loadStarted = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await chaos.play(servers: servers, workers: workers, record: record, random: chaosRandom) }
            for user in 0..<plan.users { group.addTask { await load.submitJobs(user: user) } }
            for index in 0..<plan.payments { group.addTask { await load.runPayment(index: index, stack: stack) } }
            try await group.waitForAll()
        }
        let unsettled = await FaultEvidence.waitUntilSettled(load, services, stack, within: .seconds(120))
        let loadSeconds = FaultRecord.seconds(ContinuousClock.now - loadStarted)
        let evidence = try await FaultEvidence.collect(load, services, stack)
        var verdict = FaultVerdict(plan: plan, load: load, record: record, evidence: evidence, unsettled: unsettled)
        // The same invariants, as the operator's audit reads them from MongoDB alone.
        let audit = try await runAudit(mongoURI: services.settings.mongo.uri, database: services.settings.mongo.database)
        verdict.checkAudit(status: audit.status, output: audit.output)
        print(verdict.table(plan: plan, loadSeconds: loadSeconds, totalSeconds: FaultRecord.seconds(ContinuousClock.now - started)))
        return verdict
    }
}
