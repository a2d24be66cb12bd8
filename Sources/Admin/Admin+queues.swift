import ArgumentParser
import Foundation
import OzhQueue

/// `ozh-admin queues`: ready / processing / delayed / dead per queue, and live workers.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show every queue's backlog and its workers.")

    func run() async throws {
        let context = try await AdminContext.load("queues")
        print("queue         ready  processing  delayed   dead  workers")
        for name in QueueNames.all {
            let stats = try await context.queue.stats(queue: name)
            print(
                String(
                    format: "%-12@ %6d  %10d  %7d  %5d  %7d", name as NSString, stats.ready, stats.processing,
                    stats.delayed, stats.dead, stats.liveWorkers.count))
            for worker in stats.liveWorkers {
                print("    \(worker.id): \(worker.processing) in hand, last heartbeat \(age(worker.lastHeartbeat))")
            }
        }
    }
}

/// `ozh-admin workers`: every worker of every queue, live or presumed dead.
struct Workers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List workers with their last heartbeat.")

    func run() async throws {
        let context = try await AdminContext.load("workers")
        for name in QueueNames.all {
            let stats = try await context.queue.stats(queue: name)
            print("\(name): \(stats.liveWorkers.count) live, \(stats.staleWorkers.count) silent")
            for worker in stats.liveWorkers {
                print("  live    \(worker.id)  \(worker.processing) in hand  heartbeat \(age(worker.lastHeartbeat))")
            }
            for worker in stats.staleWorkers {
                print("  silent  \(worker.id)  \(worker.processing) in hand  heartbeat \(age(worker.lastHeartbeat))  (its jobs will be recovered)")
            }
        }
    }
}
