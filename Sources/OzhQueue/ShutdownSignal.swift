import Synchronization

/// A one-way latch that async code can wait on (graceful shutdown, stop of a loop).
final class ShutdownSignal: Sendable {
    /// A registration made by ``whenTriggered(_:)``, to take back with ``cancel(_:)``.
    struct Token: Sendable, Hashable {
        fileprivate let value: UInt64
    }

    private struct State {
        var triggered = false
        /// Keyed by a counter, not a UUID: a job's attempt registers here, and a UUID costs a
        /// random draw each time.
        var next: UInt64 = 0
        var actions: [UInt64: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// True once ``trigger()`` ran.
    var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Releases every waiter, now and later.
    func trigger() {
        let actions = state.withLock { state in
            state.triggered = true
            defer { state.actions.removeAll() }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }

    /// Runs `action` once when triggered: now (answering nil) if it already was, else later,
    /// unless ``cancel(_:)`` takes the returned token back first. `action` runs on the caller's
    /// thread or on the triggering one, so it must be quick (resume, yield).
    func whenTriggered(_ action: @escaping @Sendable () -> Void) -> Token? {
        let token = reserve()
        return register(token, action, unlessCancelled: false) ? token : nil
    }

    /// Takes a registration back; answers its action if it had not run yet.
    @discardableResult
    func cancel(_ token: Token) -> (@Sendable () -> Void)? {
        state.withLock { $0.actions.removeValue(forKey: token.value) }
    }

    /// Returns once triggered, or when the calling task is cancelled.
    func wait() async {
        let token = reserve()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                _ = register(token, { continuation.resume() }, unlessCancelled: true)
            }
        } onCancel: {
            // Registered already: taken back and run here. Not yet: `register` sees the
            // cancellation under the same lock and runs it at once.
            cancel(token)?()
        }
    }

    private func reserve() -> Token {
        state.withLock { state in
            state.next += 1
            return Token(value: state.next)
        }
    }

    /// Stores `action` under `token`, or runs it now (answering false) when already triggered
    /// or, with `unlessCancelled`, when the calling task is cancelled; checked under the lock
    /// that ``cancel(_:)`` takes, so a cancellation is never missed.
    private func register(_ token: Token, _ action: @escaping @Sendable () -> Void, unlessCancelled: Bool) -> Bool {
        let stored = state.withLock { state -> Bool in
            if state.triggered || (unlessCancelled && Task.isCancelled) { return false }
            state.actions[token.value] = action
            return true
        }
        if !stored { action() }
        return stored
    }

    /// Sleeps for `duration` or until triggered; returns true when triggered.
    func sleep(for duration: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
        return isTriggered
    }
}
