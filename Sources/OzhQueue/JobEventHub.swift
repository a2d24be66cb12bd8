import Synchronization

/// Fans job events out to any number of waiters in this process.
///
/// One Redis subscription per process feeds ``publish(_:)``; a long-poll request registers
/// interest in its job id *before* reading the job, so an event that lands between the read
/// and the wait is never missed (the version moves on and the wait returns at once).
public final class JobEventHub: Sendable {
    private struct Entry {
        var version: UInt64 = 0
        var interest = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Declares interest in `jobID`; returns the version to pass to ``wait(for:after:timeout:)``.
    /// Balance every call with ``unsubscribe(_:)``.
    public func subscribe(_ jobID: String) -> UInt64 {
        state.withLock { state in
            state.entries[jobID, default: Entry()].interest += 1
            return state.entries[jobID]!.version
        }
    }

    /// Drops interest in `jobID`.
    public func unsubscribe(_ jobID: String) {
        state.withLock { state in
            guard var entry = state.entries[jobID] else { return }
            entry.interest -= 1
            state.entries[jobID] = entry.interest <= 0 && entry.waiters.isEmpty ? nil : entry
        }
    }

    /// Waits until an event for `jobID` newer than `version` arrives, or `timeout` passes.
    /// Returns the version now current.
    @discardableResult
    public func wait(for jobID: String, after version: UInt64, timeout: Duration) async -> UInt64 {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            resume(jobID, token: token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    guard let entry = state.entries[jobID], entry.version <= version else { return true }
                    state.entries[jobID]!.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            resume(jobID, token: token)
        }
        timer.cancel()
        return state.withLock { $0.entries[jobID]?.version ?? version }
    }

    /// An event for `jobID` arrived: wake its waiters.
    public func publish(_ jobID: String) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard var entry = state.entries[jobID] else { return [] }
            entry.version += 1
            let waiters = Array(entry.waiters.values)
            entry.waiters.removeAll()
            state.entries[jobID] = entry
            return waiters
        }
        for continuation in woken { continuation.resume() }
    }

    /// Wakes every waiter (after the subscription was lost, events may have been missed).
    public func publishAll() {
        let ids = state.withLock { Array($0.entries.keys) }
        for id in ids { publish(id) }
    }

    /// How many requests are waiting or interested right now (for metrics and tests).
    public var interestCount: Int { state.withLock { $0.entries.values.reduce(0) { $0 + $1.interest } } }

    private func resume(_ jobID: String, token: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var entry = state.entries[jobID], let continuation = entry.waiters.removeValue(forKey: token) else { return nil }
            state.entries[jobID] = entry.interest <= 0 && entry.waiters.isEmpty ? nil : entry
            return continuation
        }
        continuation?.resume()
    }
}
