import Logging
import ServiceLifecycle
import Shared

// ozh-payment-worker: creates and confirms YooKassa payments, credits packs exactly once.
// For now it connects, logs and stops cleanly on SIGTERM (the payments issue adds the jobs).
let (settings, logger) = await ProcessBootstrap.start("ozh-payment-worker")
let worker = try StandbyWorker(name: "ozh-payment-worker", settings: settings, logger: logger)
let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
