import Synchronization

/// At most `limit` holders at once, without waiting: ``tryAcquire()`` either takes a slot or
/// says no at once (the caller answers `503 busy_retry`). Used for uploads in flight
/// (`MAX_CONCURRENT_UPLOADS`), whose bodies are what the gateway's memory is spent on.
final class ConcurrencyLimiter: Sendable {
    /// The cap.
    let limit: Int
    private let held = Mutex(0)

    init(limit: Int) { self.limit = limit }

    /// Slots held now.
    var current: Int { held.withLock { $0 } }

    /// Takes a slot, or returns false when all `limit` are held.
    func tryAcquire() -> Bool {
        held.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Gives a slot back.
    func release() {
        held.withLock { $0 -= 1 }
    }
}
