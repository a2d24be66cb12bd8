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
// The keys must be well-formed, and GEMINI_PROJECTS (by which the gateway refuses generations)
// must name exactly their projects: refused at start-up like any malformed setting.
let (settings, logger) = await ProcessBootstrap.start("ozh-generation-worker") { settings throws(SettingsError) in
    _ = try settings.gemini.keyring()
}
let keyring = try settings.gemini.keyring()
let redis = try RedisClient(url: settings.redis.url)
let mongo = try MongoClient(settings: settings.mongo)
let limits = settings.gemini.quotaLimits
let limiter = try QuotaLimiter(redis: redis, keyring: keyring, limits: limits, prefix: settings.redis.prefix)
let http = HTTPClient(configuration: .init(totalTimeout: .seconds(120), proxy: settings.gemini.proxy))
let billing = GenerationBilling(
    ledger: Ledger(
        mongo: mongo, userCache: UserCache(settings: settings.users, prefix: settings.redis.prefix, redis: redis, logger: logger), logger: logger),
    maxActive: settings.generation.maxActive)
let queue = JobQueue(redis: redis, configuration: settings.queueConfiguration)
// The generation use cases: running a job here, the refund sweep below (the gateway accepts).
let generations = GenerationService(mongo: mongo, billing: billing, queue: queue, logger: logger)
let handler = GenerationHandler(
    service: generations,
    engine: GenerationService.Engine(
        limiter: limiter, gemini: GeminiClient(settings: settings.gemini, http: http),
        model: settings.gemini.model, prompt: settings.gemini.prompt, maxPostpone: .seconds(settings.generation.maxPostponeHours * 3600)))

do {
    try await GenerationStore(mongo: mongo).images.createIndexes()
} catch {
    logger.warning("could not create the GridFS indexes yet", metadata: ["error": "\(error)"])
}
let runtime = WorkerRuntime(
    queue: queue,
    configuration: .init(
        queue: QueueNames.generation, concurrency: settings.worker.concurrency,
        shutdownDeadline: .milliseconds(settings.worker.shutdownDeadlineMS)),
    logger: logger)
runtime.register(.generation, policy: GenerationPolicy.retry) { context, payload in try await handler.handle(context, payload) }
GeminiMetrics.prepare(projects: keyring.projects)
// /metrics, /health and /ready on METRICS_HOST:METRICS_PORT (nil when METRICS_PORT is 0).
let metricsServer = await ProcessBootstrap.metricsServer(
    "ozh-generation-worker", settings: settings.metrics, readiness: [.redis(redis), .mongo(mongo)],
    collectors: [QuotaCollector(limiter: limiter)], logger: logger)
logger.info(
    "ozh-generation-worker connected",
    metadata: [
        "gemini_projects": "\(Set(keyring.keys.map(\.project)).count)", "gemini_keys": "\(keyring.keys.count)",
        "model": "\(settings.gemini.model)", "concurrency": "\(settings.worker.concurrency)",
    ])
// Charges that can no longer finish (older than REFUND_SWEEP_AFTER_MS, 15 min; job gone or dead) are refunded.
let sweeper = RefundSweeper(
    service: generations,
    interval: .milliseconds(settings.sweeps.refundIntervalMS),
    after: .milliseconds(settings.sweeps.refundAfterMS), logger: logger)
// Drawings, images and records older than IMAGE_RETENTION_DAYS (30) are deleted; the keyring's public view is published.
let retention = RetentionSweeper(
    store: GenerationStore(mongo: mongo), days: settings.sweeps.imageRetentionDays,
    interval: .milliseconds(settings.sweeps.retentionIntervalMS), logger: logger)
let publisher = KeyringPublisher(limiter: limiter, interval: .seconds(60), logger: logger)
// The money audit (read-only, MongoDB only) every AUDIT_INTERVAL_S for ozh_audit_problems; 0 turns it off.
let auditScheduler = AuditScheduler(
    audit: MoneyAudit(mongo: mongo),
    interval: settings.sweeps.auditIntervalS > 0 ? .seconds(settings.sweeps.auditIntervalS) : nil, logger: logger)
// Services stop in reverse order: the metrics port answers until the runtime has drained.
let services: [ServiceGroupConfiguration.ServiceConfiguration] =
    (metricsServer.map { [.init(service: $0)] } ?? []) + [.init(service: runtime), .init(service: sweeper)]
    + [.init(service: retention), .init(service: publisher), .init(service: auditScheduler)]
let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
logger.info("ozh-generation-worker stopping")
