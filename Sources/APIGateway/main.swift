import Foundation
import Logging
import NIOCore
import NIOPosix
import OzhDomain
import OzhMongo
import OzhObservability
import OzhRedis
import OzhSettings

// Swift concurrency runs on NIO's event loops instead of a pool of its own: a request's
// handler then continues on a thread that also does network I/O, instead of hopping to the
// cooperative pool and back for every read and write (a large share of a `GET /jobs/{id}`
// on 2 cores). Safe here because every blocking C call runs on a `Blocking` thread pool.
// Must run before any task exists. Opt-in (`OZH_NIO_EXECUTOR=1`) until it is measured: the
// first run on a loaded machine gave fewer requests per second, not more.
// `OZH_EVENT_LOOPS` (default: one per core) sizes NIO's event loop group, for measuring.
if let loops = ProcessInfo.processInfo.environment["OZH_EVENT_LOOPS"].flatMap(Int.init), loops > 0 {
    NIOSingletons.groupLoopCountSuggestion = loops
}
if ProcessInfo.processInfo.environment["OZH_NIO_EXECUTOR"] == "1" {
    _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

// ozh-gateway: the bot's HTTP API. Validates, writes small things to Mongo, pushes jobs to
// Redis and answers job status. It never calls Gemini or YooKassa itself.
let (settings, logger) = await ProcessBootstrap.start("ozh-gateway") { settings throws(SettingsError) in
    try settings.gateway.requireAPIKeys()
    _ = try settings.gemini.gatewayProjects()
}
let services = try GatewayServices(settings: settings, logger: logger)
do {
    try await services.users.createIndexes()
    try await services.generations.images.createIndexes()
} catch {
    logger.warning("could not create indexes yet; /ready reports the database", metadata: ["error": "\(error)"])
}
EdgeMetrics.prepare()
// /metrics (queue depth, quota headroom, request counters), /health and /ready on
// METRICS_HOST:METRICS_PORT, never on the public PORT.
let metrics = await ProcessBootstrap.metricsServer(
    "ozh-gateway", settings: settings.metrics, readiness: services.readiness,
    collectors: MetricsRoutes.collectors(services), logger: logger)
// Hummingbird's runService puts the server in a ServiceGroup that drains on SIGTERM/SIGINT.
try await buildApplication(services, metrics: metrics).runService()
services.mongo.shutdown()
services.redis.shutdown()
