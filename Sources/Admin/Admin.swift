import ArgumentParser
import Foundation
import OzhQueue

/// `ozh-admin`: the operator's view of the queues, over the same settings as the services.
@main
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ozh-admin",
        abstract: "Inspect and repair the Ozhivlyator job queues; audit the money.",
        discussion: """
            Reads its settings from the environment or .env, like the services, but only those its command \
            touches: queues, workers, job, requeue-dead and purge-dead read REDIS_URL and REDIS_PREFIX; \
            audit reads MONGO_URI and MONGO_DB_NAME. A missing or malformed one is one line on stderr and exit status 2.
            """,
        subcommands: [Queues.self, Workers.self, JobCommand.self, RequeueDead.self, PurgeDead.self, Audit.self]
    )
}

/// Checks a queue name given on the command line.
func validateQueue(_ name: String) throws {
    guard QueueNames.all.contains(name) else {
        throw ValidationError("unknown queue '\(name)'; queues: \(QueueNames.all.joined(separator: ", "))")
    }
}

/// Seconds since `date`, for "last heartbeat 1.2 s ago".
func age(_ date: Date) -> String { String(format: "%.1f s ago", Date().timeIntervalSince(date)) }
