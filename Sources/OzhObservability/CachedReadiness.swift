import Synchronization

/// `/ready` from a cached check: the dependencies are asked at most once per `maxAge`
/// (a second) however often probes, scrapes or clients ask; concurrent askers share the one
/// check in flight. A flood of `GET /ready` thus costs Redis and MongoDB one round trip a second.
public final class CachedReadiness: Sendable {
    /// The dependencies checked.
    public let checks: [ReadinessCheck]
    /// How long an answer is reused.
    public let maxAge: Duration
    private let state = Mutex(State())

    private struct State {
        var checkedAt: ContinuousClock.Instant?
        var down: [String] = []
        var inFlight: Task<[String], Never>?
    }

    /// A cache over `checks`, reusing an answer for `maxAge`.
    public init(checks: [ReadinessCheck], maxAge: Duration = .seconds(1)) {
        self.checks = checks
        self.maxAge = maxAge
    }

    /// The names of the dependencies that did not answer at the latest check (empty: ready).
    public func failing() async -> [String] {
        let now = ContinuousClock.now
        enum Next { case cached([String]), wait(Task<[String], Never>) }
        let next: Next = state.withLock { state in
            if let at = state.checkedAt, now - at < maxAge { return .cached(state.down) }
            if let task = state.inFlight { return .wait(task) }
            let checks = self.checks
            let task = Task { await ReadinessCheck.failing(checks) }
            state.inFlight = task
            return .wait(task)
        }
        switch next {
        case .cached(let down):
            return down
        case .wait(let task):
            let down = await task.value
            state.withLock { state in
                if state.inFlight == task {
                    state.inFlight = nil
                    state.checkedAt = ContinuousClock.now
                    state.down = down
                }
            }
            return down
        }
    }
}
