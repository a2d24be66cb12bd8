import Foundation
import OzhRedis

/// Redis-enforced Gemini quotas for several API keys, shared by every worker.
///
/// Gemini's limits are per Google project: the keys of one project share its budget. Each
/// ``acquire(model:cost:images:)`` is one Lua script over all projects, so W workers × K
/// concurrent callers can never exceed a project's ``QuotaLimits``. Redis layout (prefix `ozh:`):
///
/// - `ozh:quota:gemini:<project>:minute`: zset of grant ids scored by Redis time (ms), the sliding window;
/// - `ozh:quota:gemini:<project>:images`: the same per image, only when ``QuotaLimits/ipm`` is set;
/// - `ozh:quota:gemini:<project>:day:<yyyy-mm-dd>`: requests of that Los Angeles day
///   (`day:<n>`, the n-th period, with ``QuotaLimits/dayLength``), expiring after the reset;
/// - `ozh:quota:gemini:<project>:cooldown`: set after a real 429, expires when it ends;
/// - `ozh:quota:gemini:<project>:rr` and `ozh:quota:gemini:rr`: rotation counters;
/// - `ozh:quota:gemini:disabled`: hash key id (``GeminiKey/id``) → JSON {label, project, reason, since}.
///
/// No key ever appears in a Redis key name, a log line or an error: only ids and labels.
public struct QuotaLimiter: Sendable {
    /// The Redis pool.
    public let redis: RedisClient
    /// The configured keys.
    public let keyring: GeminiKeyring
    /// The limits of every project.
    public let limits: QuotaLimits
    /// Key prefix (default `ozh:`).
    public let prefix: String
    /// When every key is disabled, the ``QuotaGrant/wait(until:reason:)`` re-check delay.
    public var allDisabledRecheck: Duration = .seconds(300)

    /// Creates a limiter; throws ``QuotaError/noKeysConfigured`` without keys and
    /// ``QuotaError/invalidArgument(_:)`` for unusable limits.
    public init(redis: RedisClient, keyring: GeminiKeyring, limits: QuotaLimits = .init(), prefix: String = "ozh:") throws(QuotaError) {
        guard !keyring.isEmpty else { throw .noKeysConfigured }
        try limits.validate()
        self.redis = redis
        self.keyring = keyring
        self.limits = limits
        self.prefix = prefix
    }

    /// `<prefix>quota:gemini:`, the start of every limiter key.
    public var base: String { "\(prefix)quota:gemini:" }

    /// Takes one slot of the project with the most headroom and a key of it (rotating).
    ///
    /// - Parameters:
    ///   - model: the model to call (kept for logs; every model shares the project budget).
    ///   - cost: requests the grant covers (counted against rpm and rpd), 1 for one call.
    ///   - images: images the calls produce, counted against ipm when set (default `cost`).
    /// - Returns: ``QuotaGrant/granted(key:project:grantID:)`` or, when no project has room,
    ///   ``QuotaGrant/wait(until:reason:)`` with the earliest instant a slot frees.
    public func acquire(model: String, cost: Int = 1, images: Int? = nil) async throws(QuotaError) -> QuotaGrant {
        let images = images ?? cost
        try check(cost: cost, images: images)
        let reply = try await run(QuotaScripts.acquire, scriptArguments(cost: cost, images: images, token: Self.token(), dryRun: false))
        let parts = reply.array?.compactMap(\.string) ?? []
        if parts.count == 4, parts[0] == "granted" {
            guard let key = keyring.key(id: parts[2]) else { throw .unexpectedReply("granted an unknown key id \(parts[2])") }
            return .granted(key: key, project: parts[1], grantID: parts[3])
        }
        let (until, reason) = try Self.parseWait(parts)
        return .wait(until: until, reason: reason)
    }

    /// What ``acquire(model:cost:images:)`` would answer now, without taking anything
    /// (e.g. for `POST /generate`'s "all daily quota spent → 503 + Retry-After").
    public func availability(cost: Int = 1, images: Int? = nil) async throws(QuotaError) -> QuotaAvailability {
        let images = images ?? cost
        try check(cost: cost, images: images)
        let reply = try await run(QuotaScripts.acquire, scriptArguments(cost: cost, images: images, token: "dry", dryRun: true))
        let parts = reply.array?.compactMap(\.string) ?? []
        if parts.count == 2, parts[0] == "available" { return .available(project: parts[1]) }
        let (until, reason) = try Self.parseWait(parts)
        return .wait(until: until, reason: reason)
    }

    /// When the next slot frees, or nil when one is free now.
    public func nextAvailability() async throws(QuotaError) -> Date? {
        if case .wait(let until, _) = try await availability() { return until }
        return nil
    }

    /// Gives back the slots of a grant whose call was never sent (e.g. the job was cancelled).
    /// Returns false when there was nothing to give back (already released, or out of the window).
    @discardableResult
    public func release(grant: QuotaGrant) async throws(QuotaError) -> Bool {
        guard case .granted(_, let project, let grantID) = grant else { return false }
        let reply = try await run(QuotaScripts.release, header() + [project, grantID])
        return (reply.int ?? 0) > 0
    }

    func check(cost: Int, images: Int) throws(QuotaError) {
        guard cost >= 1, cost <= limits.rpm, cost <= limits.rpd else {
            throw .invalidArgument("cost must be between 1 and the smaller of rpm and rpd")
        }
        guard images >= 0, images <= (limits.ipm ?? Int.max) else { throw .invalidArgument("images must be between 0 and ipm") }
    }

    func run(_ script: RedisScript, _ arguments: [String]) async throws(QuotaError) -> RedisReply {
        do {
            return try await redis.run(script, arguments: arguments)
        } catch {
            if case .server(let text) = error, text.contains("quota_clock") { throw .unexpectedReply(text) }
            throw .redis(error)
        }
    }

    /// ARGV 1-9 of every script (see ``QuotaScripts``).
    func header(now: Date = Date()) -> [String] {
        let table = QuotaDay.table(around: now)
        let dayLength = limits.dayLength?.wholeMilliseconds ?? 0
        let margin: Int64 = limits.dayLength == nil ? 3_600_000 : max(1000, dayLength)
        return [
            base, String(limits.rpm), String(limits.rpd), String(limits.ipm ?? 0), String(limits.effectiveWindow.wholeMilliseconds),
            String(dayLength), table.bounds.map(String.init).joined(separator: ","), table.labels.joined(separator: ","), String(margin),
        ]
    }

    /// The full ARGV of the acquire and status scripts.
    func scriptArguments(cost: Int, images: Int, token: String, dryRun: Bool) -> [String] {
        var arguments =
            header() + [
                String(cost), String(images), token, dryRun ? "1" : "0",
                String(allDisabledRecheck.wholeMilliseconds), String(keyring.projects.count),
            ]
        for project in keyring.projects {
            let ids = keyring.keys(of: project).map(\.id)
            arguments += [project, String(ids.count)] + ids
        }
        return arguments
    }

    /// `{'wait', until_ms, reason, now_ms}`: `until` is moved onto this machine's clock.
    static func parseWait(_ parts: [String]) throws(QuotaError) -> (Date, QuotaWaitReason) {
        guard parts.count == 4, parts[0] == "wait", let until = Int64(parts[1]), let now = Int64(parts[3]) else {
            throw .unexpectedReply(parts.joined(separator: " "))
        }
        let reason = QuotaWaitReason(rawValue: parts[2]) ?? .minute
        return (Date().addingTimeInterval(Double(until - now) / 1000), reason)
    }

    /// A random 12-hex-digit token that makes grant ids unique.
    static func token() -> String {
        let value = UInt64.random(in: 0..<(1 << 48))
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }
}
