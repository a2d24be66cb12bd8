import Logging
import Shared

/// What the routes need, built once at start-up and shared by every request.
struct GatewayServices: Sendable {
    let settings: Settings
    let redis: RedisClient
    let mongo: MongoClient
    let users: UserService
    let queue: JobQueue
    /// This process's one subscription to job events, fanned out to long-poll waiters.
    let eventSubscriber: JobEventSubscriber
    var events: JobEventHub { eventSubscriber.hub }
    let logger: Logger

    init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        redis = try RedisClient(url: settings.redisURL)
        mongo = try MongoClient(uri: settings.mongoURI, database: settings.mongoDatabase)
        queue = JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: settings.redisPrefix))
        eventSubscriber = JobEventSubscriber(redis: redis, prefix: settings.redisPrefix, logger: logger)
        users = UserService(mongo: mongo, calendar: BonusCalendar(timeZone: settings.bonusTimeZone), logger: logger)
    }
}
