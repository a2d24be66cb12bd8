import Foundation
import Logging
import OzhDomain
import OzhHTTP
import OzhMongo
import OzhQueue
import OzhRedis
import OzhSettings
import ServiceLifecycle

// ozh-payment-worker: creates YooKassa payments, confirms them (from webhooks and from its own
// reconciliation of pending payments), credits packs exactly once and takes refunds back once.
let (settings, logger) = await ProcessBootstrap.start("ozh-payment-worker") { settings throws(SettingsError) in
    _ = try settings.yookassa.requireShop()
    guard settings.payments.telegramBotUsername != nil else { throw .missing(variable: "TELEGRAM_BOT_USERNAME") }
}
let redis = try RedisClient(url: settings.redis.url)
let mongo = try MongoClient(settings: settings.mongo)
let service = PaymentService(
    mongo: mongo,
    ledger: Ledger(
        mongo: mongo, userCache: UserCache(settings: settings.users, prefix: settings.redis.prefix, redis: redis, logger: logger), logger: logger),
    userPaymentsKept: settings.payments.userPaymentsKept)
try? await service.createIndexes()
let handlers = PaymentHandlers(
    // The shop id and key were required at start-up (above).
    yookassa: try YooKassaClient(settings: settings.yookassa, http: HTTPClient(configuration: .init(totalTimeout: .seconds(30)))),
    service: service, returnURL: "https://t.me/\(settings.payments.telegramBotUsername!)",
    receiptEmail: settings.yookassa.receiptEmail, vatCode: settings.yookassa.receiptVATCode,
    schedule: ReconcileSchedule(settings: settings.reconcile),
    notFoundLimit: settings.reconcile.notFoundLimit, recheck: .milliseconds(settings.reconcile.webhookRecheckMS))

let queue = JobQueue(redis: redis, configuration: settings.queueConfiguration)
let runtime = WorkerRuntime(
    queue: queue, configuration: .init(queue: QueueNames.payment, concurrency: settings.worker.concurrency),
    logger: logger)
let policy = RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(60), timeout: .seconds(60))
runtime.register(.createPayment, policy: policy) { context, order in try await handlers.create(context, order) }
runtime.register(.confirmPayment, policy: policy) { context, payload in try await handlers.confirm(context, payload) }
runtime.register(.confirmRefund, policy: policy) { context, payload in try await handlers.confirmRefund(context, payload) }
// Push callbacks of finished jobs (all queues) are delivered from here: see CallbackRuntime.swift.
let callbackRuntime = CallbackRuntime.make(queue: queue, mongo: mongo, settings: settings.callbacks, logger: logger)
let reconciler = Reconciler(
    service: service, queue: queue, interval: .milliseconds(settings.reconcile.intervalMS),
    schedule: ReconcileSchedule(settings: settings.reconcile), pageSize: settings.reconcile.pageSize, logger: logger)
PaymentMetrics.prepare()
// /metrics (with the age of the oldest pending payment), /health and /ready on METRICS_HOST:METRICS_PORT.
let metricsServer = await ProcessBootstrap.metricsServer(
    "ozh-payment-worker", settings: settings.metrics, readiness: [.redis(redis), .mongo(mongo)],
    collectors: [PendingPaymentsCollector(service: service)], logger: logger)
logger.info("ozh-payment-worker connected", metadata: ["yookassa": "\(settings.yookassa.baseURL)"])
// Services stop in reverse order: the metrics port answers until the runtime has drained.
let services: [ServiceGroupConfiguration.ServiceConfiguration] =
    (metricsServer.map { [.init(service: $0)] } ?? []) + [.init(service: runtime)] + (callbackRuntime.map { [.init(service: $0)] } ?? []) + [
        .init(service: reconciler)
    ]
let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
logger.info("ozh-payment-worker stopping")
