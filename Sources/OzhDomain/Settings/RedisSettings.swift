import OzhRedis
import OzhSettings

/// Where the queue's Redis is: all that a Redis-only process (`ozh-admin queues`) reads.
///
/// ``Settings`` reads the same two variables through this type, so both refuse a missing or
/// malformed `REDIS_URL` with the same ``SettingsError``.
public struct RedisSettings: Sendable, Equatable {
    /// `REDIS_URL`: where Redis is (required).
    public var url: String
    /// `REDIS_PREFIX`: prefix of every Redis key (default `ozh:`).
    public var prefix: String

    /// Reads and validates `REDIS_URL` and `REDIS_PREFIX` from `source`.
    public init(source: SettingsSource) throws(SettingsError) {
        url = try source.required("REDIS_URL")
        do {
            _ = try RedisConfiguration(url: url)
        } catch {
            throw .invalid(variable: "REDIS_URL", reason: error.message.replacingOccurrences(of: "REDIS_URL is invalid: ", with: ""))
        }
        prefix = source.string("REDIS_PREFIX") ?? "ozh:"
    }
}
