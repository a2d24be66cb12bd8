import Foundation
import Logging
import Shared

// ozh-gateway: the bot's HTTP API. Validates, writes small things to Mongo, pushes jobs to
// Redis and answers job status. It never calls Gemini or YooKassa itself.
let settings: Settings
do {
    settings = try Settings(source: try await SettingsSource.load())
    try settings.requireAPIKeys()
} catch let error as SettingsError {
    FileHandle.standardError.write(Data("ozh-gateway: \(error.message)\n".utf8))
    exit(2)
}
Observability.bootstrapLogging(settings)
let logger = Logger(label: "ozh-gateway")
let services = try GatewayServices(settings: settings, logger: logger)
do {
    try await services.users.createIndexes()
} catch {
    logger.warning("could not create indexes yet; /ready will report the database", metadata: ["error": "\(error)"])
}
try await buildApplication(services).runService()
services.mongo.shutdown()
services.redis.shutdown()
