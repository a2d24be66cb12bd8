/// When the Gemini limiter will have granted the next n slots, across every project: a pure
/// function of the limiter's state (``QuotaLimiter/forecast()`` reads it in one script), so it
/// is unit-tested without servers. All times are Redis milliseconds.
///
/// It assumes every slot is taken as soon as it frees (a backlog keeps the workers asking).
/// Per project: a sliding window of ``perWindow`` grants per ``window`` (the calls already in it
/// free one by one, each new grant frees one window later), at most ``perDay`` a quota day
/// (``usedToday`` of today's spent; the next days from the reset at ``dayResetsAt``, every
/// ``dayLength``), nothing before a 429 cool-down ends, nothing from a project whose keys are
/// all disabled. What bounds it: real 429s not yet seen (a cool-down that will happen), keys
/// disabled later, calls given back (`notSent`), the day's exact length around DST, and the
/// window counted after the reset as if empty.
public struct QuotaForecast: Sendable, Equatable {
    /// One project's state.
    public struct Project: Sendable, Equatable {
        /// The project name.
        public var name: String
        /// False when every key of it is disabled.
        public var usable: Bool
        /// Grant times (ms) still in the window (kept in ascending order).
        public var windowGrants: [Int64]
        /// Requests counted today.
        public var usedToday: Int
        /// When a 429 cool-down ends (ms), if one runs.
        public var coolingUntil: Int64?

        public init(name: String, usable: Bool = true, windowGrants: [Int64] = [], usedToday: Int = 0, coolingUntil: Int64? = nil) {
            self.name = name
            self.usable = usable
            self.windowGrants = windowGrants.sorted()
            self.usedToday = usedToday
            self.coolingUntil = coolingUntil
        }
    }

    /// Redis' clock when the state was read (ms).
    public var now: Int64
    /// Grants a project may make per window (the smaller of rpm and ipm: one call, one image).
    public var perWindow: Int
    /// Grants a project may make per quota day (rpd).
    public var perDay: Int
    /// The window the limiter counts in (ms, with its safety margin).
    public var window: Int64
    /// When the current quota day ends (ms).
    public var dayResetsAt: Int64
    /// A quota day's length (ms): a day, or the tests' shortened one.
    public var dayLength: Int64
    /// Every configured project.
    public var projects: [Project]

    public init(
        now: Int64, perWindow: Int, perDay: Int, window: Int64, dayResetsAt: Int64, dayLength: Int64 = 86_400_000,
        projects: [Project]
    ) {
        self.now = now
        self.perWindow = max(1, perWindow)
        self.perDay = max(1, perDay)
        self.window = max(1, window)
        self.dayResetsAt = dayResetsAt
        self.dayLength = max(1, dayLength)
        self.projects = projects
    }

    /// Slots every project together can grant from ``now`` to `time` (inclusive).
    public func grants(by time: Int64) -> Int {
        projects.reduce(0) { total, project in total &+ grants(of: project, by: time) }
    }

    /// The instant (ms) at which the `n`-th slot from now can be granted (n = 1: the next one;
    /// ``now`` when it is free already), or nil when not within `horizon` ms (e.g. every key disabled).
    public func timeOfSlot(_ n: Int, horizon: Int64 = 48 * 3_600_000) -> Int64? {
        let n = max(1, n)
        var low = now, high = now + max(0, horizon)
        guard grants(by: high) >= n else { return nil }
        if grants(by: low) >= n { return low }
        while high - low > 1 { // grants(by: low) < n <= grants(by: high)
            let middle = low + (high - low) / 2
            if grants(by: middle) >= n { high = middle } else { low = middle }
        }
        return high
    }

    /// One project's grants from now to `time`.
    func grants(of project: Project, by time: Int64) -> Int {
        guard project.usable else { return 0 }
        let start = max(now, project.coolingUntil ?? now)
        guard time >= start else { return 0 }
        let today = max(0, perDay - project.usedToday)
        if time < dayResetsAt { return min(stream(project.windowGrants, from: start, by: time), today) }
        let beforeReset = dayResetsAt > start ? min(stream(project.windowGrants, from: start, by: dayResetsAt - 1), today) : 0
        // After the reset: whole days at the window's pace, capped by the day's budget.
        let days = (time - dayResetsAt) / dayLength
        let fullDay = min(perDay, stream([], from: 0, by: dayLength - 1))
        let dayStart = dayResetsAt + days * dayLength
        let current = min(perDay, stream([], from: max(dayStart, start), by: time))
        return beforeReset &+ Int(min(Int64(Int32.max), days)) &* fullDay &+ current
    }

    /// Grants a sliding window allows from `start` to `time` when every free slot is taken at
    /// once: the `perWindow` slots are periodic, each first free at `start` (an empty one, or one
    /// whose grant left the window by then) or when its grant leaves the window, then every
    /// window. O(log n) in the grants held (this runs on every poll of a waiting job).
    func stream(_ held: [Int64], from start: Int64, by time: Int64) -> Int {
        guard time >= start else { return 0 }
        let kept = held.count > perWindow ? held.suffix(perWindow) : held[...] // ascending
        guard let first = kept.first, let last = kept.last, last - first < window, last <= start else {
            return slowStream(Array(kept), from: start, by: time)
        }
        let periods = Int((time - start) / window) + 1
        // Slots free at `start`: the empty ones and those whose grant has left the window.
        let early = Self.count(kept, atMost: start - window)
        var count = (perWindow - kept.count + early) &* periods
        // The others free at g + W, then every window: ⌊(time − g) / W⌋ slots each, which is q or
        // q − 1 for all of them (they lie within one window), q for the oldest.
        let rest = kept.dropFirst(early)
        guard let oldest = rest.first else { return count }
        let q = Int((time - oldest) / window)
        let later = rest.count - Self.count(rest, atMost: time - Int64(q) * window)
        count &+= q &* rest.count &- later
        return count
    }

    /// ``stream(_:from:by:)`` one slot at a time (grants spread over more than a window).
    func slowStream(_ held: [Int64], from start: Int64, by time: Int64) -> Int {
        let periods = { (base: Int64) -> Int in base <= time ? Int((time - base) / window) + 1 : 0 }
        var count = (perWindow - held.count) &* periods(start)
        for grant in held { count &+= periods(max(start, grant + window)) }
        return count
    }

    /// How many of the ascending `values` are at most `limit`.
    static func count(_ values: ArraySlice<Int64>, atMost limit: Int64) -> Int {
        var low = values.startIndex, high = values.endIndex
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= limit { low = middle + 1 } else { high = middle }
        }
        return low - values.startIndex
    }
}
