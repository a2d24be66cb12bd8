import Synchronization

/// Caps the requests waiting with `?wait=S` (`GET /jobs/{id}`, `POST /generate`): at most
/// `total` in the process and `perClient` per client address (`MAX_LONG_POLLS`,
/// `MAX_LONG_POLLS_PER_CLIENT`). A request over either cap is not refused: it answers at once
/// with the job's current status, as a poll would, so the bot simply polls again.
final class LongPollLimiter: Sendable {
    let total: Int
    let perClient: Int
    private let state = Mutex(State())

    private struct State {
        var waiting = 0
        var byClient: [String: Int] = [:]
    }

    init(total: Int, perClient: Int) {
        self.total = total
        self.perClient = perClient
    }

    /// Requests waiting now.
    var current: Int { state.withLock { $0.waiting } }

    /// Takes a waiter's slot for `client` (nil: an unknown address, counted under one key);
    /// false when a cap is reached. Every true must be matched by ``release(_:)``.
    func admit(_ client: String?) -> Bool {
        let key = client ?? "?"
        return state.withLock { state in
            let mine = state.byClient[key, default: 0]
            guard state.waiting < total, mine < perClient else { return false }
            state.waiting += 1
            state.byClient[key] = mine + 1
            return true
        }
    }

    /// Gives back a slot ``admit(_:)`` took.
    func release(_ client: String?) {
        let key = client ?? "?"
        state.withLock { state in
            state.waiting -= 1
            let left = state.byClient[key, default: 1] - 1
            state.byClient[key] = left > 0 ? left : nil
        }
    }
}
