import Foundation
import OzhQueue
import OzhSettings

/// Every setting of the Ozhivlyator services, read once at start-up and validated: one
/// configuration type per component, each reading its own variables (`init(source:)`), so a
/// component is built from its part (`UserCache(settings: settings.users, …)`) and a process
/// that needs only one part can read only that one (``RedisSettings`` for `ozh-admin queues`).
///
/// Names follow the seed's `.env` (`MONGO_URI`, `REDIS_URL`, `API_KEY`, ...). A missing or
/// malformed value stops start-up with a ``SettingsError`` naming the variable.
public struct Settings: Sendable {
    /// Where MongoDB is (`MONGO_URI`, `MONGO_DB_NAME`).
    public var mongo: MongoSettings
    /// Where Redis is (`REDIS_URL`, `REDIS_PREFIX`).
    public var redis: RedisSettings
    /// Where the logs go (`LOGGING_ENABLED`, `LOG_LEVEL`).
    public var logging: LogSettings
    /// The gateway: its address, API keys, body limit, trusted proxies and answer cache.
    public var gateway: GatewaySettings
    /// Users: the bonus calendar, the activity resolution, the user cache.
    public var users: UserSettings
    /// Gemini: keys, projects, model and prompt, and the quota.
    public var gemini: GeminiSettings
    /// One generation: upload, images, unfinished per user, longest postpone.
    public var generation: GenerationSettings
    /// The generation workers' refund sweep, retention and money audit.
    public var sweeps: SweepSettings
    /// YooKassa: the shop, its URL, receipts, the webhook's senders.
    public var yookassa: YooKassaSettings
    /// The packs on sale, the bot's return URL, the payments a user document keeps.
    public var payments: PaymentSettings
    /// The payment worker's re-reads of unsettled payments.
    public var reconcile: ReconcileSettings
    /// A worker process: concurrency, heartbeats, shutdown.
    public var worker: WorkerSettings
    /// The metrics and health port (`METRICS_HOST`, `METRICS_PORT`).
    public var metrics: MetricsSettings
    /// The gateway's timeouts and limits at the edge (``EdgeSettings``).
    public var edge: EdgeSettings
    /// Push callbacks of finished jobs (``CallbackSettings``).
    public var callbacks: CallbackSettings
    /// What the gateway offers bot developers: drop-in waits and the ETA (``BotSettings``).
    public var bot: BotSettings

    /// The job queue's settings (key prefix, heartbeat and dead-after).
    public var queueConfiguration: JobQueueConfiguration { worker.queueConfiguration(prefix: redis.prefix) }

    /// Validates `source`, component by component; the first problem found is thrown.
    public init(source: SettingsSource) throws(SettingsError) {
        mongo = try MongoSettings(source: source)
        redis = try RedisSettings(source: source)
        logging = try LogSettings(source: source)
        gateway = try GatewaySettings(source: source)
        users = try UserSettings(source: source)
        gemini = try GeminiSettings(source: source)
        generation = try GenerationSettings(source: source)
        sweeps = try SweepSettings(source: source)
        yookassa = try YooKassaSettings(source: source)
        payments = try PaymentSettings(source: source)
        reconcile = try ReconcileSettings(source: source)
        worker = try WorkerSettings(source: source)
        metrics = try MetricsSettings(source: source)
        edge = try EdgeSettings(source: source)
        callbacks = try CallbackSettings(source: source)
        bot = try BotSettings(source: source)
    }
}
