import Logging
import OzhRedis

extension UserCache {
    /// The cache `settings` describe (`REDIS_PREFIX`, `USER_CACHE_TTL_MS`) in `redis`: the same
    /// keys in every process, so each writer's invalidation reaches every gateway's reads.
    public init(settings: Settings, redis: RedisClient, logger: Logger) {
        self.init(redis: redis, prefix: settings.redisPrefix, ttl: .milliseconds(settings.userCacheTTLMS), logger: logger)
    }
}
