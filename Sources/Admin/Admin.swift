import ArgumentParser
import Foundation
import Shared

/// `ozh-admin`: the operator's view of the queues, over the same settings as the services.
@main
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ozh-admin",
        abstract: "Inspect and repair the Ozhivlyator job queues; audit the money.",
        discussion: "Reads REDIS_URL, REDIS_PREFIX (and the other settings) from the environment or .env, like the services.",
        subcommands: [Queues.self, Workers.self, JobCommand.self, RequeueDead.self, PurgeDead.self, Audit.self]
    )
}

/// What every subcommand needs: the queue over the configured Redis.
struct AdminContext {
    let queue: JobQueue
    let settings: Settings

    static func load() async throws -> AdminContext {
        let settings: Settings
        do {
            settings = try Settings(source: try await SettingsSource.load())
        } catch let error as SettingsError {
            throw ValidationError(error.message)
        }
        let redis = try RedisClient(url: settings.redisURL)
        return AdminContext(queue: JobQueue(redis: redis, configuration: JobQueueConfiguration(prefix: settings.redisPrefix)),
                            settings: settings)
    }
}

/// Checks a queue name given on the command line.
func validateQueue(_ name: String) throws {
    guard QueueNames.all.contains(name) else {
        throw ValidationError("unknown queue '\(name)'; queues: \(QueueNames.all.joined(separator: ", "))")
    }
}

/// Seconds since `date`, for "last heartbeat 1.2 s ago".
func age(_ date: Date) -> String { String(format: "%.1f s ago", Date().timeIntervalSince(date)) }
