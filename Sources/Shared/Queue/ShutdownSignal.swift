import Foundation
import Synchronization

/// A one-way latch that async code can wait on (graceful shutdown, stop of a loop).
final class ShutdownSignal: Sendable {
    private struct State {
        var triggered = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// True once ``trigger()`` ran.
    var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Releases every waiter, now and later.
    func trigger() {
        let waiters = state.withLock { state in
            state.triggered = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once triggered, or when the calling task is cancelled.
    func wait() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.triggered || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
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
