import Foundation
import Logging
import OzhDomain
import OzhQueue
import OzhRedis
import Synchronization

/// `eta_seconds` and `eta_at` of waiting generations (README "An honest ETA").
///
/// The inputs (``GenerationETA``: the queue's load, the workers' measured pace, the quota
/// limiter's state) are read at most once per ``ttl`` per gateway process, by whichever poll
/// finds them stale (the others wait for that one read, never start their own), and shared by
/// every poll meanwhile: a poll costs no extra Redis call, except in a job's first second (its
/// 202, a first poll), which needs a reading taken after the job was created. A read that fails gives no ETA (the answer is the same
/// without it) and is not retried before ``ttl`` passes.
final class EtaEstimator: Sendable {
    /// Inputs read at `at` (this machine's clock).
    struct Reading: Sendable {
        let eta: GenerationETA
        let at: Date
    }

    private struct State {
        var reading: Reading?
        var readAt: ContinuousClock.Instant?
        var loading: Task<Reading?, Never>?
        /// Delays (ms) worked out from the current reading, by jobs ahead: polls of the same
        /// place within a second share the forecast's arithmetic.
        var delays: [Int: Int64] = [:]
    }

    private enum Next {
        case ready(Reading?)
        case wait(Task<Reading?, Never>)
    }

    let queue: JobQueue
    let quota: GatewayQuota
    let settings: Settings
    let logger: Logger
    /// How long a reading is shared.
    let ttl: Duration
    private let state = Mutex(State())

    init(queue: JobQueue, quota: GatewayQuota, settings: Settings, logger: Logger, ttl: Duration = .seconds(1)) {
        self.queue = queue
        self.quota = quota
        self.settings = settings
        self.logger = logger
        self.ttl = ttl
    }

    /// The estimate for a queued or retrying generation; nil for anything else, or when not known.
    func estimate(_ snapshot: JobSnapshot) async -> JobETA? {
        let job = snapshot.job
        guard job.is(.generation), job.status == .queued || job.status == .retrying else { return nil }
        if job.status == .queued, snapshot.queuePosition == nil { return nil }
        // A job created after the shared reading is not in it: it needs a reading of its own
        // (once, in its first second: a burst of submissions would otherwise all get the same
        // estimate, the jobs just before them left uncounted). Compared on Redis' clock.
        guard let reading = await reading(notBefore: Int64((job.createdAt.timeIntervalSince1970 * 1000).rounded(.down)))
        else { return nil }
        // Queued: the jobs before it in the list, and the delayed ones older than it (a job taken
        // now and postponed for quota goes back behind them: promotion puts the oldest first).
        // Retrying: the ready list, and the delayed jobs older than it. No Redis call: the
        // shared reading samples the delayed jobs' ages.
        let load = reading.eta.load
        var ahead = (snapshot.queuePosition ?? 0) + load.delayedOlder(than: job.createdAt)
        var notBefore: Int64 = 0
        if job.status == .retrying {
            guard let runAt = job.runAt else { return nil }
            ahead = load.ready + load.delayedOlder(than: job.createdAt)
            notBefore = Int64((runAt.timeIntervalSince(reading.at) * 1000).rounded(.up))
        }
        guard let delay = delay(reading, jobsAhead: ahead, notBefore: notBefore) else { return nil }
        return JobETA(at: reading.at.addingTimeInterval(Double(delay) / 1000))
    }

    /// ``GenerationETA/delayMS(jobsAhead:notBefore:)``, remembered per place for the current reading.
    private func delay(_ reading: Reading, jobsAhead: Int, notBefore: Int64) -> Int64? {
        let current = { (state: State) in state.reading?.at == reading.at }
        if let known = state.withLock({ current($0) ? $0.delays[jobsAhead] : nil }) { return max(known, notBefore) }
        guard let delay = reading.eta.delayMS(jobsAhead: jobsAhead) else { return nil }
        state.withLock { state in
            if current(state) && state.delays.count < 10_000 { state.delays[jobsAhead] = delay }
        }
        return max(delay, notBefore)
    }

    /// The shared reading, read again when older than ``ttl`` or taken (Redis ms) before `notBefore`.
    func reading(notBefore: Int64 = 0) async -> Reading? {
        var reading: Reading?
        for _ in 0..<2 {
            let now = ContinuousClock.now
            let next: Next = state.withLock { state in
                if let readAt = state.readAt, now - readAt < ttl, (state.reading?.eta.load.now ?? Int64.max) >= notBefore {
                    return .ready(state.reading)
                }
                if let loading = state.loading { return .wait(loading) }
                let loading = Task { await self.load() }
                state.loading = loading
                return .wait(loading)
            }
            switch next {
            case .ready(let ready): return ready
            case .wait(let task): reading = await task.value
            }
            // A read already under way may have begun before the job existed: then one more.
            if (reading?.eta.load.now ?? Int64.max) >= notBefore { return reading }
        }
        return reading
    }

    private func load() async -> Reading? {
        let at = Date()
        let reading = await read(at: at)
        state.withLock { state in
            state.reading = reading
            state.readAt = ContinuousClock.now
            state.loading = nil
            state.delays = [:]
        }
        return reading
    }

    private func read(at: Date) async -> Reading? {
        let prefix = settings.redis.prefix
        async let load = try? queue.load(queue: QueueNames.generation)
        async let pace = try? GenerationPace.read(redis: queue.redis, prefix: prefix)
        async let forecast = try? quota.limiter().forecast()
        guard let load = await load else {
            logger.debug("no ETA: the queue's load could not be read")
            return nil
        }
        let eta = GenerationETA(
            load: load, pace: await pace ?? GenerationPace(), forecast: await forecast,
            concurrency: settings.worker.concurrency, defaultJobImages: settings.generation.mainImages,
            defaultImageMS: Double(settings.bot.etaImageSeconds) * 1000,
            promotionLagMS: Int64(queue.configuration.heartbeatInterval / .milliseconds(1)) / 2)
        return Reading(eta: eta, at: at)
    }
}
