import Foundation
import OzhRedis

extension QuotaLimiter {
    /// Records a real 429 `RESOURCE_EXHAUSTED` from Gemini for `grant`'s project.
    ///
    /// A per-day `quotaId` (one containing `PerDay`) cools the project down until the next
    /// daily reset; any other (per-minute) one for `retryDelay` (`RetryInfo.retryDelay`), or
    /// one window when absent. A longer cool-down already in place is kept. The grant's slot
    /// stays counted. Returns what happened, for the log line.
    @discardableResult
    public func reportRateLimited(grant: QuotaGrant, quotaId: String, retryDelay: Duration?) async throws(QuotaError) -> QuotaCooldown {
        guard case .granted(let key, let project, _) = grant else {
            throw .invalidArgument("only a granted slot can be reported as rate limited")
        }
        let scope: QuotaCooldown.Scope = quotaId.range(of: "PerDay", options: .caseInsensitive) != nil ? .day : .minute
        let delay = max(1, (retryDelay ?? limits.windowLength).wholeMilliseconds)
        let value = Self.json(["scope": scope.rawValue, "quota_id": String(quotaId.prefix(200)), "key": key.label])
        let reply = try await run(QuotaScripts.coolDown, header() + [project, scope.rawValue, String(delay), value])
        guard let parts = reply.array?.compactMap(\.int), parts.count == 2 else {
            throw .unexpectedReply("cool_down returned \(reply)")
        }
        let until = Date().addingTimeInterval(Double(parts[0] - parts[1]) / 1000)
        return QuotaCooldown(project: project, keyLabel: key.label, scope: scope, quotaId: quotaId, until: until)
    }

    /// Takes `key` out of rotation (400 `API_KEY_INVALID`, 403 `PERMISSION_DENIED`); the
    /// project's other keys carry on. It stays disabled until ``enable(key:)``.
    public func disable(key: GeminiKey, reason: String) async throws(QuotaError) {
        guard keyring.key(id: key.id) != nil else { throw .unknownKey(label: key.label) }
        let since = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let value = Self.json(["label": key.label, "project": key.project, "reason": String(reason.prefix(200)), "since_ms": String(since)])
        try await send(["HSET", base + "disabled", key.id, value])
    }

    /// Puts a disabled key back into rotation.
    public func enable(key: GeminiKey) async throws(QuotaError) {
        try await send(["HDEL", base + "disabled", key.id])
    }

    /// Every disabled key (including keys no longer configured), oldest first.
    public func disabledKeys() async throws(QuotaError) -> [DisabledGeminiKey] {
        let pairs = try await send(["HGETALL", base + "disabled"]).pairs
        return pairs.map { id, value in
            let fields = (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: String] ?? [:]
            let since = Double(fields["since_ms"] ?? "").map { Date(timeIntervalSince1970: $0 / 1000) } ?? Date(timeIntervalSince1970: 0)
            return DisabledGeminiKey(
                keyID: id, label: fields["label"] ?? id, project: fields["project"] ?? "",
                reason: fields["reason"] ?? "", since: since)
        }.sorted { ($0.since, $0.keyID) < ($1.since, $1.keyID) }
    }

    @discardableResult
    func send(_ arguments: [String]) async throws(QuotaError) -> RedisReply {
        do {
            return try await redis.send(arguments)
        } catch {
            throw .redis(error)
        }
    }

    static func json(_ fields: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
