import Logging
import ServiceLifecycle

/// A worker process that, for now, only proves its connections and waits for SIGTERM.
///
/// It connects to Redis and MongoDB at start (retrying until they answer or shutdown is
/// requested), logs readiness and stays up until a graceful shutdown, then closes both.
public struct StandbyWorker: Service {
    let name: String
    let redis: RedisClient
    let mongo: MongoClient
    let logger: Logger

    public init(name: String, settings: Settings, logger: Logger) throws {
        self.name = name
        self.logger = logger
        redis = try RedisClient(url: settings.redisURL)
        mongo = try MongoClient(uri: settings.mongoURI, database: settings.mongoDatabase)
    }

    public func run() async throws {
        var delay = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully {
            do {
                _ = try await redis.send("PING")
                try await mongo.ping()
                logger.info("\(name) connected to Redis and MongoDB; waiting for jobs")
                break
            } catch {
                logger.warning("dependencies not reachable yet", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        try? await gracefulShutdown()
        logger.info("\(name) stopping")
        redis.shutdown()
        mongo.shutdown()
    }
}
