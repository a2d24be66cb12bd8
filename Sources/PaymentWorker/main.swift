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
    guard settings.yookassaShopID != nil else { throw .missing(variable: "YOOKASSA_SHOP_ID") }
    guard settings.yookassaSecretKey != nil else { throw .missing(variable: "YOOKASSA_SECRET_KEY") }
    guard settings.telegramBotUsername != nil else { throw .missing(variable: "TELEGRAM_BOT_USERNAME") }
}
let redis = try RedisClient(url: settings.redisURL)
let mongo = try MongoClient(uri: settings.mongoURI, database: settings.mongoDatabase)
let service = PaymentService(
    mongo: mongo, ledger: Ledger(mongo: mongo, userCache: UserCache(settings: settings, redis: redis, logger: logger), logger: logger),
    userPaymentsKept: settings.userPaymentsKept)
try? await service.createIndexes()
let handlers = PaymentHandlers(
    yookassa: YooKassaClient(
        baseURL: settings.yookassaBaseURL, shopID: settings.yookassaShopID!,
        secretKey: settings.yookassaSecretKey!, http: HTTPClient(configuration: .init(totalTimeout: .seconds(30)))),
    service: service, returnURL: "https://t.me/\(settings.telegramBotUsername!)",
    receiptEmail: settings.receiptEmail, vatCode: settings.receiptVATCode, schedule: ReconcileSchedule(settings: settings),
    notFoundLimit: settings.reconcileNotFoundLimit, recheck: .milliseconds(settings.webhookRecheckMS))

let queue = JobQueue(redis: redis, configuration: settings.queueConfiguration)
let runtime = WorkerRuntime(
    queue: queue, configuration: .init(queue: QueueNames.payment, concurrency: settings.workerConcurrency),
    logger: logger)
let policy = RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(60), timeout: .seconds(60))
runtime.register(.createPayment, policy: policy) { context, order in try await handlers.create(context, order) }
runtime.register(.confirmPayment, policy: policy) { context, payload in try await handlers.confirm(context, payload) }
runtime.register(.confirmRefund, policy: policy) { context, payload in try await handlers.confirmRefund(context, payload) }
// Push callbacks of finished jobs (all queues) are delivered from here: see CallbackRuntime.swift.
let callbackRuntime = CallbackRuntime.make(queue: queue, mongo: mongo, settings: settings, logger: logger)
let reconciler = Reconciler(
    service: service, queue: queue, interval: .milliseconds(settings.reconcileIntervalMS),
    schedule: ReconcileSchedule(settings: settings), pageSize: settings.reconcilePageSize, logger: logger)
PaymentMetrics.prepare()
// /metrics (with the age of the oldest pending payment), /health and /ready on METRICS_HOST:METRICS_PORT.
let metricsServer = await ProcessBootstrap.metricsServer(
    "ozh-payment-worker", settings: settings, readiness: [.redis(redis), .mongo(mongo)],
    collectors: [PendingPaymentsCollector(service: service)], logger: logger)
logger.info("ozh-payment-worker connected", metadata: ["yookassa": "\(settings.yookassaBaseURL)"])
// Services stop in reverse order: the metrics port answers until the runtime has drained.
let services: [ServiceGroupConfiguration.ServiceConfiguration] =
    (metricsServer.map { [.init(service: $0)] } ?? []) + [.init(service: runtime)] + (callbackRuntime.map { [.init(service: $0)] } ?? []) + [
        .init(service: reconciler)
    ]
let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
logger.info("ozh-payment-worker stopping")
