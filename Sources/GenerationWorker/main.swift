import Foundation
import Logging
import OzhDomain
import OzhHTTP
import OzhMongo
import OzhQueue
import OzhRedis
import OzhSettings
import ServiceLifecycle

// ozh-generation-worker: takes generation jobs from Redis, calls Gemini once per image under
// the Redis-enforced quota, stores images in GridFS and settles the user's balance.
let (settings, logger) = await ProcessBootstrap.start("ozh-generation-worker")
let redis = try RedisClient(url: settings.redisURL)
let mongo = try MongoClient(uri: settings.mongoURI, database: settings.mongoDatabase)
let keyring: GeminiKeyring
do {
    keyring = try GeminiKeyring(entries: settings.geminiKeys)
} catch {
    FileHandle.standardError.write(Data("ozh-generation-worker: GEMINI_API_KEYS_STR is invalid: \(error.message)\n".utf8))
    exit(2)
}
// The gateway refuses generations from GEMINI_PROJECTS: it must name exactly these keys' projects.
if !settings.geminiProjects.isEmpty, Set(settings.geminiProjects) != Set(keyring.projects) {
    FileHandle.standardError.write(
        Data(
            "ozh-generation-worker: GEMINI_PROJECTS names other projects than GEMINI_API_KEYS_STR (\(keyring.projects.joined(separator: ",")))\n".utf8
        ))
    exit(2)
}
let limits = settings.quotaLimits
let limiter = try QuotaLimiter(redis: redis, keyring: keyring, limits: limits, prefix: settings.redisPrefix)
let http = HTTPClient(configuration: .init(totalTimeout: .seconds(120), proxy: settings.geminiProxy))
let billing = GenerationBilling(
    ledger: Ledger(mongo: mongo, userCache: UserCache(settings: settings, redis: redis, logger: logger), logger: logger),
    maxActive: settings.maxActiveGenerations)
let queue = JobQueue(redis: redis, configuration: settings.queueConfiguration)
// The generation use cases: running a job here, the refund sweep below (the gateway accepts).
let generations = GenerationService(mongo: mongo, billing: billing, queue: queue, logger: logger)
let handler = GenerationHandler(
    service: generations,
    engine: GenerationService.Engine(
        limiter: limiter, gemini: GeminiClient(baseURL: settings.geminiBaseURL, http: http),
        model: settings.geminiModel, prompt: settings.geminiPrompt, maxPostpone: .seconds(settings.maxPostponeHours * 3600)))

do {
    try await GenerationStore(mongo: mongo).images.createIndexes()
} catch {
    logger.warning("could not create the GridFS indexes yet", metadata: ["error": "\(error)"])
}
let runtime = WorkerRuntime(
    queue: queue,
    configuration: .init(
        queue: QueueNames.generation, concurrency: settings.workerConcurrency,
        shutdownDeadline: .milliseconds(settings.workerShutdownDeadlineMS)),
    logger: logger)
runtime.register(.generation, policy: GenerationPolicy.retry) { context, payload in try await handler.handle(context, payload) }
GeminiMetrics.prepare(projects: keyring.projects)
// /metrics, /health and /ready on METRICS_HOST:METRICS_PORT (nil when METRICS_PORT is 0).
let metricsServer = await ProcessBootstrap.metricsServer(
    "ozh-generation-worker", settings: settings, readiness: [.redis(redis), .mongo(mongo)],
    collectors: [QuotaCollector(limiter: limiter)], logger: logger)
logger.info(
    "ozh-generation-worker connected",
    metadata: [
        "gemini_projects": "\(Set(keyring.keys.map(\.project)).count)", "gemini_keys": "\(keyring.keys.count)",
        "model": "\(settings.geminiModel)", "concurrency": "\(settings.workerConcurrency)",
    ])
// Charges that can no longer finish (older than REFUND_SWEEP_AFTER_MS, 15 min; job gone or dead) are refunded.
let sweeper = RefundSweeper(
    service: generations,
    interval: .milliseconds(settings.refundSweepIntervalMS),
    after: .milliseconds(settings.refundSweepAfterMS), logger: logger)
// Drawings, images and records older than IMAGE_RETENTION_DAYS (30) are deleted; the keyring's public view is published.
let retention = RetentionSweeper(
    store: GenerationStore(mongo: mongo), days: settings.imageRetentionDays,
    interval: .milliseconds(settings.retentionSweepIntervalMS), logger: logger)
let publisher = KeyringPublisher(limiter: limiter, interval: .seconds(60), logger: logger)
// The money audit (read-only, MongoDB only) every AUDIT_INTERVAL_S for ozh_audit_problems; 0 turns it off.
let auditScheduler = AuditScheduler(
    audit: MoneyAudit(mongo: mongo),
    interval: settings.auditIntervalS > 0 ? .seconds(settings.auditIntervalS) : nil, logger: logger)
// Services stop in reverse order: the metrics port answers until the runtime has drained.
let services: [ServiceGroupConfiguration.ServiceConfiguration] =
    (metricsServer.map { [.init(service: $0)] } ?? []) + [.init(service: runtime), .init(service: sweeper)]
    + [.init(service: retention), .init(service: publisher), .init(service: auditScheduler)]
let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
logger.info("ozh-generation-worker stopping")
