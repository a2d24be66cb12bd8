import ArgumentParser
import OzhDomain
import OzhQueue
import OzhRedis

/// What the queue subcommands need: the queue over the configured Redis, and nothing else
/// (no MongoDB, no API keys), so they run with `REDIS_URL` alone.
struct AdminContext {
    let queue: JobQueue

    /// The queue over `REDIS_URL` / `REDIS_PREFIX`; a missing or malformed setting is one line
    /// on stderr (`ozh-admin <command>: <code>: <message>`) and exit status 2.
    static func load(_ command: String) async throws -> AdminContext {
        let settings: RedisSettings
        do {
            settings = try RedisSettings(source: try await Admin.settingsSource())
        } catch {
            throw Admin.fail(command, error)
        }
        let redis = try RedisClient(url: settings.url)
        return AdminContext(queue: JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: settings.prefix)))
    }
}
