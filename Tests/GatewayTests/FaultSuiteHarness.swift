import Foundation
import Synchronization
import TestSupport

@testable import OzhDomain
@testable import OzhHTTP
@testable import OzhSupport

/// The fault suite's sizes, limits and timings in one place. The random choices (kill times,
/// targets, pauses) come from `seed`: `OZH_FAULT_SEED` replays a run's choices (not its timing).
struct FaultPlan: Sendable {
    var seed = ProcessInfo.processInfo.environment["OZH_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)
    var users = 20
    var jobsPerUser = 10
    var payments = 24
    /// Every fourth payment is canceled by the payer instead of paid.
    func cancels(_ payment: Int) -> Bool { payment % 4 == 3 }
    var initialGrant: Int64 = 12
    var generationWorkers = 3
    var paymentWorkers = 2
    var kills = 12
    /// Kill times are spread over this span after the load starts; each restart lands inside it too.
    var chaosSpan: ClosedRange<Double> = 2...55
    var redisRestartSpan: ClosedRange<Double> = 8...24
    var mongoRestartSpan: ClosedRange<Double> = 28...44
    /// Three Gemini projects (one with two keys), each `rpm` calls per `windowMS` and `rpd` a day.
    var geminiKeys = "fa:fault-key-a1,fa:fault-key-a2,fb:fault-key-b1,fc:fault-key-c1"
    var rpm = 6
    var rpd = 400
    var windowMS = 2000
    var errorRate = 0.2
    var blockRate = 0.03
    var mainImages = 1
    var maxActive = 4

    var projects: [String] { Array(Set(geminiKeys.split(separator: ",").map { String($0.split(separator: ":")[0]) })).sorted() }

    var sandboxEnvironment: [String: String] {
        [
            "SANDBOX_GEMINI_KEYS": geminiKeys, "SANDBOX_GEMINI_RPM": "\(rpm)", "SANDBOX_GEMINI_RPD": "\(rpd)",
            "SANDBOX_GEMINI_WINDOW_MS": "\(windowMS)", "SANDBOX_GEMINI_ERROR_RATE": "\(errorRate)", "SANDBOX_GEMINI_ERROR_STATUS": "503",
            "SANDBOX_GEMINI_BLOCK_RATE": "\(blockRate)", "SANDBOX_GEMINI_LATENCY_MS": "120", "SANDBOX_GEMINI_SEED": "\(seed)",
            "SANDBOX_YOOKASSA_SHOP_ID": "500123", "SANDBOX_YOOKASSA_SECRET_KEY": "test_sandbox-secret",
            "SANDBOX_YOOKASSA_DUPLICATE_DELIVERIES": "2", "SANDBOX_YOOKASSA_REDELIVERY_MS": "300,600,1200,2400,4800,9600",
            "SANDBOX_LOG_LEVEL": "warning",
        ]
    }

    /// The gateway's settings (the workers get the same through ``GenerationStack``).
    func gatewaySettings(_ servers: FaultServers, _ stack: GenerationStack) -> [String: String] {
        [
            "REDIS_URL": servers.redisURL, "MONGO_URI": servers.mongoURI, "GEMINI_BASE_URL": stack.geminiBaseURL,
            "GEMINI_API_KEYS_STR": geminiKeys, "GEMINI_RPM": "\(rpm)", "GEMINI_RPD": "\(rpd)", "GEMINI_WINDOW_MS": "\(windowMS)",
            "MAIN_IMAGES": "\(mainImages)", "MAX_ACTIVE_GENERATIONS": "\(maxActive)",
            "YOOKASSA_BASE_URL": stack.geminiBaseURL, "YOOKASSA_SHOP_ID": "500123", "YOOKASSA_SECRET_KEY": "test_sandbox-secret",
            "TELEGRAM_BOT_USERNAME": "OzhTestBot", "YOOKASSA_WEBHOOK_IPS": "127.0.0.1/32,::1/128",
            "RECONCILE_INTERVAL_MS": "1000", "RECONCILE_AFTER_MS": "4000", "RECONCILE_BACKOFF_MS": "1000",
        ]
    }

    /// Worker settings beyond the gateway's: concurrency, a short refund sweep, no metrics port.
    var generationWorkerExtra: [String: String] {
        ["WORKER_CONCURRENCY": "3", "REFUND_SWEEP_AFTER_MS": "15000", "REFUND_SWEEP_INTERVAL_MS": "2000", "METRICS_PORT": "0"]
    }
    var paymentWorkerExtra: [String: String] { ["WORKER_CONCURRENCY": "2", "METRICS_PORT": "0"] }
}

/// What the suite injected and what the API answered unexpectedly, shared by its tasks.
final class FaultRecord: Sendable {
    struct Event: Sendable {
        var at: Double
        var what: String
    }

    private struct State {
        var kills: [String: Int] = [:]
        var redisDowntime: [Double] = []
        var mongoDowntime: [Double] = []
        var events: [Event] = []
        var anomalies: [String] = []
        var answers: [String: Int] = [:]
    }

    let started = ContinuousClock.now
    private let state = Mutex(State())

    /// Seconds since the load started.
    var elapsed: Double { Self.seconds(ContinuousClock.now - started) }

    func killed(_ target: String) {
        state.withLock { $0.kills[target, default: 0] += 1 }
        event("SIGKILL \(target)")
    }
    func redisRestarted(down: Duration) { state.withLock { $0.redisDowntime.append(Self.seconds(down)) } }
    func mongoRestarted(down: Duration) { state.withLock { $0.mongoDowntime.append(Self.seconds(down)) } }
    func event(_ what: String) { let at = elapsed; state.withLock { $0.events.append(Event(at: at, what: what)) } }
    /// An answer the API must never give (the check fails on any).
    func anomaly(_ text: String) { state.withLock { $0.anomalies.append(text) } }
    /// Counts a non-final answer the client had to retry (e.g. `503 mongo_unavailable`).
    func retried(_ answer: String) { state.withLock { $0.answers[answer, default: 0] += 1 } }

    var kills: [String: Int] { state.withLock { $0.kills } }
    var redisDowntime: [Double] { state.withLock { $0.redisDowntime } }
    var mongoDowntime: [Double] { state.withLock { $0.mongoDowntime } }
    var events: [Event] { state.withLock { $0.events } }
    var anomalies: [String] { state.withLock { $0.anomalies } }
    var retriedAnswers: [String: Int] { state.withLock { $0.answers } }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The gateway's public HTTP API over real connections (libcurl), one per request, so many
/// simulated bot users can call it at once.
struct FaultAPI: Sendable {
    let baseURL: String
    let http = HTTPClient(configuration: .init(connectTimeout: .seconds(5), totalTimeout: .seconds(40)))

    struct Answer: @unchecked Sendable {
        var status: Int
        var body: [String: Any]
        var code: String? { errorCode(body) }
        var label: String { "\(status) \(code ?? "")".trimmingCharacters(in: .whitespaces) }
    }

    func call(
        _ method: String, _ path: String, json: String? = nil, headers: [(String, String)] = [],
        body: Data? = nil, contentType: String? = nil
    ) async throws -> Answer {
        var fields = headers + [("api-key", GatewayHarness.apiKey)]
        if json != nil { fields.append(("Content-Type", "application/json")) }
        if let contentType { fields.append(("Content-Type", contentType)) }
        let response = try await http.execute(
            HTTPRequest(
                method: method, url: baseURL + path, headers: fields,
                body: json.map { Data($0.utf8) } ?? body))
        return Answer(
            status: response.status,
            body: (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:])
    }

    func generate(chatID: Int64, image: Data, key: String) async throws -> Answer {
        var form = MultipartBody()
        form.field("chat_id", "\(chatID)")
        form.file("image", image)
        return try await call("POST", "/generate", headers: [("Idempotency-Key", key)], body: form.data, contentType: form.contentType)
    }
}

/// The worker processes, killed and replaced by the chaos task (only it touches them).
final class FaultWorkers: @unchecked Sendable {
    enum Kind: String, Sendable { case generation = "generation worker", payment = "payment worker" }

    let stack: GenerationStack
    let settings: Settings
    let plan: FaultPlan
    private var running: [Kind: [Process]] = [:]

    init(stack: GenerationStack, settings: Settings, plan: FaultPlan) {
        self.stack = stack
        self.settings = settings
        self.plan = plan
    }

    /// Starts a worker of `kind` and waits until it takes jobs.
    func start(_ kind: Kind) async throws {
        let process: Process
        switch kind {
        case .generation: process = try await stack.startWorker(settings, plan.generationWorkerExtra)
        case .payment: process = try await stack.startPaymentWorker(settings, plan.paymentWorkerExtra)
        }
        running[kind, default: []].append(process)
    }

    /// SIGKILLs a random running worker of `kind` and waits until it is gone.
    func killOne(_ kind: Kind, using random: inout SplitMix64) async throws {
        guard var list = running[kind], !list.isEmpty else { throw TestSetupError("no \(kind.rawValue) to kill") }
        let victim = list.remove(at: Int.random(in: 0..<list.count, using: &random))
        running[kind] = list
        kill(victim.processIdentifier, SIGKILL)
        guard await Executables.waitForExit(victim, within: .seconds(10)) != nil else {
            throw TestSetupError("a \(kind.rawValue) survived SIGKILL")
        }
    }
}

/// The faults of one run, planned up front from the seed and played at their times.
struct FaultChaos: Sendable {
    enum Action: Sendable {
        case kill(FaultWorkers.Kind)
        case restartRedis
        case restartMongo
    }

    var actions: [(at: Double, action: Action)]

    init(plan: FaultPlan, random: inout SplitMix64) {
        let generationKills = plan.kills * 2 / 3
        var kinds =
            Array(repeating: FaultWorkers.Kind.generation, count: generationKills)
            + Array(repeating: FaultWorkers.Kind.payment, count: plan.kills - generationKills)
        kinds.shuffle(using: &random)
        let times = (0..<plan.kills).map { _ in Double.random(in: plan.chaosSpan, using: &random) }.sorted()
        actions = zip(times, kinds).map { ($0, .kill($1)) }
        actions.append((Double.random(in: plan.redisRestartSpan, using: &random), .restartRedis))
        actions.append((Double.random(in: plan.mongoRestartSpan, using: &random), .restartMongo))
        actions.sort { $0.at < $1.at }
    }

    /// Plays every action at its time; a killed worker is replaced after a short random pause.
    func play(servers: FaultServers, workers: FaultWorkers, record: FaultRecord, random: SplitMix64) async throws {
        var random = random
        for (at, action) in actions {
            let wait = at - record.elapsed
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            switch action {
            case .kill(let kind):
                try await workers.killOne(kind, using: &random)
                record.killed(kind.rawValue)
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...1500, using: &random)))
                try await workers.start(kind)
                record.event("restarted a \(kind.rawValue)")
            case .restartRedis:
                record.event("SIGKILL Redis")
                let down = try await servers.crashAndRestartRedis(pause: .milliseconds(Int.random(in: 500...1500, using: &random)))
                record.redisRestarted(down: down)
                record.event("Redis back from its AOF")
            case .restartMongo:
                record.event("SIGTERM SecantusDB")
                // Down longer than the 5 s server selection time-out, so calls fail (503, retried attempts).
                let down = try await servers.restartMongo(pause: .milliseconds(Int.random(in: 4000...6000, using: &random)))
                record.mongoRestarted(down: down)
                record.event("SecantusDB back from its storage")
            }
        }
    }
}
