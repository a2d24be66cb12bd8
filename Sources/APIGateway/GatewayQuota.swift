import OzhDomain
import OzhRedis

/// The gateway's read-only view of the Gemini quota, to refuse a generation before charging
/// it when nothing could run it: every project's day spent, or every key disabled.
///
/// With `GEMINI_API_KEYS_STR` the gateway has the keyring itself; with only `GEMINI_PROJECTS`
/// it reads the keys' ids from what the generation workers publish (``QuotaLimiter/publishKeyring()``)
/// at every check, so a worker started later, or keys disabled since, are seen at once.
struct GatewayQuota: GenerationCapacity {
    let redis: RedisClient
    let limits: QuotaLimits
    let prefix: String
    let projects: GatewayGeminiProjects
    /// The limiter over the gateway's own keys (nil with `GEMINI_PROJECTS` only), for metrics and tests.
    let keyLimiter: QuotaLimiter?

    /// Throws ``SettingsError`` when `gemini` names no project or holds malformed keys; `prefix`
    /// is `REDIS_PREFIX`, where the workers count the quota.
    init(gemini: GeminiSettings, prefix: String, redis: RedisClient) throws {
        self.redis = redis
        limits = gemini.quotaLimits
        self.prefix = prefix
        projects = try gemini.gatewayProjects()
        if case .keyring(let keyring) = projects {
            keyLimiter = try QuotaLimiter(redis: redis, keyring: keyring, limits: limits, prefix: prefix)
        } else {
            keyLimiter = nil
        }
    }

    /// What an acquire would answer now, without taking anything.
    func availability() async throws(QuotaError) -> QuotaAvailability {
        try await limiter().availability()
    }

    /// The limiter to ask: the gateway's own, or one over the published keys of `GEMINI_PROJECTS`.
    func limiter() async throws(QuotaError) -> QuotaLimiter {
        switch projects {
        case .keyring:
            guard let keyLimiter else { throw .noKeysConfigured }
            return keyLimiter
        case .names(let names):
            return try await QuotaLimiter.published(redis: redis, projects: names, limits: limits, prefix: prefix)
        }
    }
}
