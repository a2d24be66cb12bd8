import Testing

@testable import OzhDomain
@testable import OzhQueue

/// The quota forecast and the ETA built on it: pure functions, no server.
@Suite("Quota forecast and ETA")
struct QuotaForecastTests {
    static let now: Int64 = 1_000_000

    func forecast(
        _ projects: [QuotaForecast.Project], perWindow: Int = 4, perDay: Int = 1000, window: Int64 = 1000,
        resetIn: Int64 = 86_400_000
    ) -> QuotaForecast {
        QuotaForecast(
            now: Self.now, perWindow: perWindow, perDay: perDay, window: window, dayResetsAt: Self.now + resetIn,
            projects: projects)
    }

    @Test func anEmptyWindowGrantsItsSlotsNowThenOneWindowLater() {
        let f = forecast([.init(name: "p")])
        #expect((1...4).map { f.timeOfSlot($0) } == Array(repeating: Self.now, count: 4))
        #expect(f.timeOfSlot(5) == Self.now + 1000)
        #expect(f.timeOfSlot(8) == Self.now + 1000)
        #expect(f.timeOfSlot(9) == Self.now + 2000)
    }

    @Test func grantsInTheWindowFreeOneByOne() {
        let f = forecast([.init(name: "p", windowGrants: [Self.now - 100, Self.now - 900])], perWindow: 2)
        #expect(f.timeOfSlot(1) == Self.now + 100, "the older grant leaves the window first")
        #expect(f.timeOfSlot(2) == Self.now + 900)
        #expect(f.timeOfSlot(3) == Self.now + 1100)
        #expect(f.timeOfSlot(4) == Self.now + 1900)
    }

    @Test func projectsAddUpAndCoolDownsAndDisabledKeysCount() {
        let two = forecast([.init(name: "a"), .init(name: "b")])
        #expect(two.timeOfSlot(8) == Self.now && two.timeOfSlot(9) == Self.now + 1000)
        let cooling = forecast([.init(name: "a", coolingUntil: Self.now + 5000), .init(name: "b", usable: false)])
        #expect(cooling.timeOfSlot(1) == Self.now + 5000)
        #expect(cooling.timeOfSlot(5) == Self.now + 6000)
        #expect(forecast([.init(name: "a", usable: false)]).timeOfSlot(1) == nil, "every key disabled: no estimate")
    }

    @Test func aSpentDayWaitsForTheResetThenRunsAtTheWindowsPace() {
        let f = forecast([.init(name: "p", usedToday: 9)], perDay: 10, resetIn: 60_000)
        #expect(f.timeOfSlot(1) == Self.now)
        #expect(f.timeOfSlot(2) == Self.now + 60_000, "the day's last slot is gone")
        #expect(f.timeOfSlot(6) == Self.now + 61_000)
        #expect(f.timeOfSlot(2 + 10) == Self.now + 60_000 + 86_400_000, "a new day's budget after the next reset")
    }

    @Test func theETAIsBoundByTheWorkersWithoutQuota() {
        let eta = GenerationETA(
            load: QueueLoad(ready: 5, busy: 2, liveWorkers: 1), pace: GenerationPace(imageMS: 1000, jobImages: 4),
            forecast: nil, concurrency: 2, defaultJobImages: 9, defaultImageMS: 99_000, promotionLagMS: 0)
        #expect(eta.delayMS(jobsAhead: 0) ?? -1 == 4 * 1000 / 2, "both slots busy: one frees in half a job")
        #expect(eta.delayMS(jobsAhead: 3) ?? -1 == 4 * 4 * 1000 / 2)
        let idle = GenerationETA(
            load: QueueLoad(), pace: GenerationPace(), forecast: nil, concurrency: 4, defaultJobImages: 4,
            defaultImageMS: 1000, promotionLagMS: 0)
        #expect(idle.delayMS(jobsAhead: 0) ?? -1 == 0, "a free slot: it starts now")
        #expect(idle.delayMS(jobsAhead: 10, notBefore: 90_000) ?? -1 == 90_000, "a retry is not due before its run_at")
    }

    @Test func theETAIsBoundByTheQuotaWhenItIsSmall() {
        let quota = forecast([.init(name: "p")], perWindow: 4, window: 10_000)
        let eta = GenerationETA(
            load: QueueLoad(liveWorkers: 2), pace: GenerationPace(imageMS: 100, jobImages: 4), forecast: quota,
            concurrency: 4, defaultJobImages: 4, defaultImageMS: 100, promotionLagMS: 1000)
        #expect(eta.delayMS(jobsAhead: 0) ?? -1 == 0)
        // The second job's first image is the window's fifth slot: one window (lengthened by a
        // quarter heartbeat) later, and half a heartbeat for its promotion.
        #expect(eta.delayMS(jobsAhead: 1) ?? -1 == 10_500 + 1000)
        #expect(eta.delayMS(jobsAhead: 2) ?? -1 == 21_000 + 1000)
        let later = (0..<20).compactMap { eta.delayMS(jobsAhead: $0) }
        #expect(later == later.sorted(), "never earlier for a job further back")
        let none = GenerationETA(
            load: QueueLoad(), pace: GenerationPace(), forecast: forecast([.init(name: "p", usable: false)]),
            concurrency: 4, defaultJobImages: 4, defaultImageMS: 100, promotionLagMS: 0)
        #expect(none.delayMS(jobsAhead: 0) == nil)
    }

    @Test func theFastWindowCountAgreesWithCountingSlotBySlot() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let window = Int64.random(in: 10...5000, using: &random)
            let perWindow = Int.random(in: 1...40, using: &random)
            let held = (0..<Int.random(in: 0...perWindow, using: &random)).map { _ in Self.now - Int64.random(in: 0..<window, using: &random) }
            let f = forecast([.init(name: "p", windowGrants: held)], perWindow: perWindow, window: window)
            let start = Self.now + (Bool.random(using: &random) ? 0 : Int64.random(in: 0...3 * window, using: &random))
            let time = start + Int64.random(in: 0...(10 * window), using: &random)
            let sorted = held.sorted()
            #expect(
                f.stream(sorted, from: start, by: time) == f.slowStream(sorted, from: start, by: time),
                "window \(window), \(perWindow) per window, held \(sorted), start \(start), time \(time)")
        }
    }
}
