import OzhRedis

/// The limiter's Lua scripts. Each runs atomically in Redis, so any number of workers and
/// concurrent callers can never take more than a project's limits. Times come from Redis'
/// own clock (`TIME`), so machines with skewed clocks agree; the quota day is picked from a
/// table of Los Angeles midnights the caller passes (or from `day_len` in tests).
///
/// Common ARGV (see ``QuotaLimiter/scriptArguments(cost:images:token:dryRun:)``):
/// 1 base (`<prefix>quota:gemini:`), 2 rpm, 3 rpd, 4 ipm (0 = none), 5 window_ms, 6 day_len_ms
/// (0 = calendar days), 7 day bounds (ms, comma-separated), 8 day labels, 9 day-key margin_ms,
/// 10 cost, 11 images, 12 random grant token, 13 dry run 1|0, 14 all-disabled re-check ms,
/// 15 project count, then per project: name, key count, key ids.
/// Keys are derived from `base` (a Redis Cluster would need hash tags).
enum QuotaScripts {
    static let prelude = """
        \(RedisScript.clockHelpers)
        \(LuaSource.text(PackageResources.quota_prelude_lua))

        """

    static func script(_ name: String, _ body: String) -> RedisScript {
        RedisScript(name: "quota.\(name)", source: prelude + body)
    }

    /// `Lua/quota.acquire.lua` (its header: what it takes and answers).
    static let acquire = script("acquire", LuaSource.text(PackageResources.quota_acquire_lua))

    /// `Lua/quota.status.lua` (its header: what it takes and answers).
    static let status = script("status", LuaSource.text(PackageResources.quota_status_lua))

    /// `Lua/quota.release.lua` (its header: what it takes and answers).
    static let release = script("release", LuaSource.text(PackageResources.quota_release_lua))

    /// `Lua/quota.cool_down.lua` (its header: what it takes and answers).
    static let coolDown = script("cool_down", LuaSource.text(PackageResources.quota_cool_down_lua))
}
