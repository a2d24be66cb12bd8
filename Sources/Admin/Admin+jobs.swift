import ArgumentParser
import Foundation
import OzhSupport

/// `ozh-admin job <id>`: everything Redis knows about one job.
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "job", abstract: "Show one job.")

    @Argument(help: "The job id.") var id: String

    func run() async throws {
        let context = try await AdminContext.load("job")
        guard let job = try await context.queue.job(id: id) else {
            throw ValidationError("job \(id) does not exist (or its record expired)")
        }
        let rows: [(String, String?)] = [
            ("id", job.id), ("kind", job.kind), ("queue", job.queue), ("status", job.status.rawValue),
            ("chat_id", job.chatID.map(String.init)), ("attempts", "\(job.attempts) of \(job.maxAttempts)"),
            ("created_at", Timestamp.format(job.createdAt)), ("started_at", job.startedAt.map(Timestamp.format)),
            ("finished_at", job.finishedAt.map(Timestamp.format)), ("run_at", job.runAt.map(Timestamp.format)),
            ("worker", job.worker), ("error", job.error.map { "\($0.code): \($0.message)" }),
            ("progress", job.progress), ("payload", job.payload), ("result", job.result.map { String($0.prefix(2000)) }),
        ]
        for (name, value) in rows { print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(value ?? "-")") }
    }
}

/// `ozh-admin requeue-dead <queue> [--limit N]`: gives dead jobs another round of attempts.
struct RequeueDead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requeue-dead", abstract: "Move dead jobs back to the ready queue.")

    @Argument(help: "generation or payment") var queue: String
    @Option(help: "At most this many jobs.") var limit: Int = 100

    func validate() throws {
        try validateQueue(queue)
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let context = try await AdminContext.load("requeue-dead")
        let moved = try await context.queue.requeueDead(queue: queue, limit: limit)
        print("requeued \(moved) dead job(s) of \(queue)")
    }
}

/// `ozh-admin purge-dead <queue>`: deletes dead jobs for good.
struct PurgeDead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "purge-dead", abstract: "Delete every dead job of a queue.")

    @Argument(help: "generation or payment") var queue: String

    func validate() throws { try validateQueue(queue) }

    func run() async throws {
        let context = try await AdminContext.load("purge-dead")
        let purged = try await context.queue.purgeDead(queue: queue)
        print("purged \(purged) dead job(s) of \(queue)")
    }
}
