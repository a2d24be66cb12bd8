import Logging
import OzhDomain
import OzhImages
import OzhMongo
import OzhObservability
import OzhQueue
import OzhRedis

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
    let generations: GenerationStore
    let billing: GenerationBilling
    let idempotency: IdempotencyStore
    /// The generation use cases (`POST /generate` accepts through them) and what accepting needs.
    let generation: GenerationService
    let intake: GenerationService.Intake
    /// The payment use cases (`create_payment` places its order through them).
    let payments: PaymentService
    /// Gemini quota, to refuse generations when every project's daily quota is spent or every
    /// key is disabled (from `GEMINI_API_KEYS_STR` or `GEMINI_PROJECTS`).
    let quota: GatewayQuota
    /// The edge's caps (`MAX_CONNECTIONS`, `MAX_CONCURRENT_UPLOADS`, `MAX_LONG_POLLS…`).
    let connections: ConnectionLimiter
    let uploads: ConcurrencyLimiter
    let longPolls: LongPollLimiter
    /// `TRUSTED_PROXIES`, whose `X-Forwarded-For` names the client.
    let trustedProxies: [IPRange]
    /// `/ready`'s answer, checked at most once a second however often it is asked.
    let readiness: CachedReadiness
    /// Finished generations' answers and images, so polling one does not read GridFS each time.
    let caches: JobCaches
    /// `eta_seconds` / `eta_at` of waiting generations, from inputs read at most once a second.
    let eta: EtaEstimator

    /// Throws ``SettingsError`` when the settings give no Gemini project or malformed keys.
    init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        redis = try RedisClient(url: settings.redis.url)
        mongo = try MongoClient(settings: settings.mongo)
        queue = JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: settings.redis.prefix))
        eventSubscriber = JobEventSubscriber(redis: redis, prefix: settings.redis.prefix, logger: logger)
        users = UserService(
            mongo: mongo, calendar: BonusCalendar(timeZone: settings.users.bonusTimeZone),
            activityResolution: .seconds(settings.users.activityResolutionS),
            cache: UserCache(settings: settings.users, prefix: settings.redis.prefix, redis: redis, logger: logger), logger: logger)
        generations = GenerationStore(mongo: mongo)
        billing = GenerationBilling(ledger: users.ledger, maxActive: settings.generation.maxActive)
        idempotency = IdempotencyStore(redis: redis, prefix: settings.redis.prefix)
        quota = try GatewayQuota(gemini: settings.gemini, prefix: settings.redis.prefix, redis: redis)
        payments = PaymentService(mongo: mongo, ledger: users.ledger, userPaymentsKept: settings.payments.userPaymentsKept)
        generation = GenerationService(mongo: mongo, billing: billing, queue: queue, logger: logger)
        intake = GenerationService.Intake(
            idempotency: idempotency, capacity: quota, model: settings.gemini.model,
            mainImages: settings.generation.mainImages,
            normalize: { [maxSide = settings.generation.imageMaxSide] in try await MagickImage.normalizeAsync($0, maxSide: maxSide, output: .png).data
            })
        connections = ConnectionLimiter(limit: settings.edge.maxConnections)
        uploads = ConcurrencyLimiter(limit: settings.edge.maxConcurrentUploads)
        longPolls = LongPollLimiter(total: settings.edge.maxLongPolls, perClient: settings.edge.maxLongPollsPerClient)
        trustedProxies = settings.gateway.trustedProxies.compactMap(IPRange.init)
        readiness = CachedReadiness(checks: [.redis(redis), .mongo(mongo)])
        caches = JobCaches(maxBytes: settings.gateway.jobCacheBytes, ttl: .milliseconds(settings.gateway.jobCacheTTLMS))
        eta = EtaEstimator(queue: queue, quota: quota, settings: settings, logger: logger)
    }
}
