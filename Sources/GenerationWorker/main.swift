import Logging
import ServiceLifecycle
import Shared

// ozh-generation-worker: takes generation jobs from Redis, calls Gemini, stores images.
// For now it connects, logs and stops cleanly on SIGTERM (the queue issue adds the jobs).
let (settings, logger) = await ProcessBootstrap.start("ozh-generation-worker")
let worker = try StandbyWorker(name: "ozh-generation-worker", settings: settings, logger: logger)
let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
