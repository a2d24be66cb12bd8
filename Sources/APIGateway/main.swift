import Logging
import Shared

// ozh-gateway: the bot's HTTP API. Validates, writes small things to Mongo, pushes jobs to
// Redis and answers job status. It never calls Gemini or YooKassa itself.
let (settings, logger) = await ProcessBootstrap.start("ozh-gateway") { settings throws(SettingsError) in
    try settings.requireAPIKeys()
    _ = try settings.gatewayGeminiProjects()
}
let services = try GatewayServices(settings: settings, logger: logger)
do {
    try await services.users.createIndexes()
    try await services.generations.images.createIndexes()
} catch {
    logger.warning("could not create indexes yet; /ready reports the database", metadata: ["error": "\(error)"])
}
// Hummingbird's runService puts the server in a ServiceGroup that drains on SIGTERM/SIGINT.
try await buildApplication(services).runService()
services.mongo.shutdown()
services.redis.shutdown()
