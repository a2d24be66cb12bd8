import NIOCore
import OzhDomain
import Synchronization

/// Response bodies kept in memory, bounded by their total size (least recently used out first),
/// each trusted for `ttl` after it was stored and only for the `version` it was stored under.
///
/// The gateway keeps two: finished generations' `GET /jobs/{id}` answers and their images
/// (``JobCaches``). A lookup names the version the caller just read from Redis (the job's
/// fields), so a job that changed (requeued, run again) is never answered from the cache; the
/// TTL bounds how long something only MongoDB knows (retention deleted the images) can go unseen.
/// Entries are whole answers (hundreds of KB), so there are few of them and evicting scans them.
final class ResponseCache: Sendable {
    /// One stored answer.
    struct Entry: Sendable {
        /// What the answer was built from (the caller's fingerprint of the job).
        var version: String
        /// The body as sent.
        var body: ByteBuffer
        /// Its strong entity tag, quoted (`"…"`).
        var etag: String
        var storedAt: ContinuousClock.Instant
        var lastUsed: UInt64
        var bytes: Int { body.readableBytes + version.utf8.count + etag.utf8.count + 64 }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        /// Added to the clock; only tests move it (``advanceClock(by:)``).
        var skew: Duration = .zero
    }

    /// The most bytes held (bodies plus a small overhead per entry); 0 stores nothing.
    let maxBytes: Int
    /// How long an entry is trusted; `.zero` stores nothing.
    let ttl: Duration
    private let state = Mutex(State())

    init(maxBytes: Int, ttl: Duration) {
        self.maxBytes = maxBytes
        self.ttl = ttl
    }

    /// The entry for `key` stored under `version` less than `ttl` ago, or nil (a stale or
    /// other-version entry is dropped).
    func get(_ key: String, version: String) -> Entry? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            guard entry.version == version, ContinuousClock.now + state.skew - entry.storedAt < ttl else {
                state.entries[key] = nil
                state.bytes -= entry.bytes
                return nil
            }
            state.tick += 1
            entry.lastUsed = state.tick
            state.entries[key] = entry
            return entry
        }
    }

    /// Stores `body` for `key` under `version`, evicting the least recently used entries to stay
    /// within `maxBytes`; a body bigger than a quarter of `maxBytes` is not stored.
    func put(_ key: String, version: String, body: ByteBuffer, etag: String) {
        guard ttl > .zero, maxBytes > 0 else { return }
        state.withLock { state in
            state.tick += 1
            let entry = Entry(version: version, body: body, etag: etag, storedAt: ContinuousClock.now + state.skew, lastUsed: state.tick)
            guard entry.bytes <= maxBytes / 4 else { return }
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.bytes }
            while state.bytes + entry.bytes > maxBytes,
                let oldest = state.entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })
            {
                state.entries[oldest.key] = nil
                state.bytes -= oldest.value.bytes
            }
            state.entries[key] = entry
            state.bytes += entry.bytes
        }
    }

    /// Forgets `key`.
    func remove(_ key: String) {
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.bytes }
        }
    }

    /// How many entries and bytes it holds now (for tests and metrics).
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.entries.count, $0.bytes) } }

    /// Moves this cache's clock forward (tests: an entry's TTL passes without sleeping).
    func advanceClock(by duration: Duration) {
        state.withLock { $0.skew += duration }
    }
}

/// The gateway's caches of finished generations (`JOB_CACHE_BYTES` each, `JOB_CACHE_TTL_MS`).
///
/// Why in the gateway's memory and not in Redis: an answer is the images base64-encoded
/// (hundreds of KB to MBs); kept in Redis for the job's 3 days it would cost Redis memory for
/// every generation and carry the whole body over the network on each poll, while the bot
/// polls a finished job only a few times, soon after it ends. An LRU bounded by bytes keeps
/// the recent ones; a replica that misses rebuilds from GridFS once.
///
/// Why it is never stale: an entry is used only for the job fields just read from Redis (a
/// requeued or re-run job has others), and only after the record's `expired_at` was read
/// (``stillKept(_:generations:)``), so a retention pass is seen on the next poll. The TTL
/// only bounds how long memory is held for an answer nobody polls any more.
struct JobCaches: Sendable {
    /// `GET /jobs/{id}` answers of succeeded generations (images base64-encoded), by job id.
    let answers: ResponseCache
    /// `GET /jobs/{id}/images/{n}` bodies, by GridFS file id.
    let images: ResponseCache

    init(maxBytes: Int, ttl: Duration) {
        answers = ResponseCache(maxBytes: maxBytes, ttl: ttl)
        images = ResponseCache(maxBytes: maxBytes, ttl: ttl)
    }

    /// Throws 410 `images_expired` (and forgets the job's answer) when retention expired job
    /// `jobID`'s record: one find by `_id` in `generations`, no GridFS read.
    func stillKept(_ jobID: String, generations: GenerationStore) async throws {
        guard let expired = try await generations.expiredAt(jobID: jobID) else { return }
        answers.remove(jobID)
        throw APIError.imagesExpired(jobID, at: expired)
    }
}
