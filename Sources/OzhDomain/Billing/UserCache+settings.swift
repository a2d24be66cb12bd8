import Logging
import OzhRedis

extension UserCache {
    /// The cache `settings` describe (`USER_CACHE_TTL_MS`) under `prefix` (`REDIS_PREFIX`) in `redis`: the same
    /// keys in every process, so each writer's invalidation reaches every gateway's reads.
    public init(settings: UserSettings, prefix: String, redis: RedisClient, logger: Logger) {
        self.init(redis: redis, prefix: prefix, ttl: .milliseconds(settings.cacheTTLMS), logger: logger)
    }
}
