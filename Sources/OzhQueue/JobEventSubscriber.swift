import Foundation
import Logging
import OzhRedis
import ServiceLifecycle
import Synchronization

/// The one Redis subscription of a process: reads `<prefix>events` on a dedicated thread
/// (a connection blocked in SUBSCRIBE serves nobody else) and feeds a ``JobEventHub``.
///
/// Messages are `<job id> <status>`. When the connection drops it reconnects with backoff and
/// wakes every waiter, since events may have been missed meanwhile. As a `Service` it stops on
/// graceful shutdown: it publishes a stop message to its own channel to unblock the read.
public final class JobEventSubscriber: Service, Sendable {
    public let hub: JobEventHub
    let redis: RedisClient
    let channel: String
    let logger: Logger
    private let stopToken = UUID().uuidString
    private let stopped = Atomic<Bool>(false)

    public init(redis: RedisClient, prefix: String, hub: JobEventHub = JobEventHub(), logger: Logger) {
        self.redis = redis
        self.channel = prefix + "events"
        self.hub = hub
        self.logger = logger
    }

    public func run() async throws {
        let done = AsyncStream<Void>.makeStream()
        let thread = Thread { [self] in
            readLoop()
            done.continuation.finish()
        }
        thread.name = "ozh-job-events"
        thread.start()
        await withGracefulShutdownHandler {
            for await _ in done.stream {}
        } onGracefulShutdown: { [self] in
            stop()
        }
    }

    /// Asks the reader thread to finish.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let (redis, channel, token) = (self.redis, self.channel, stopToken)
        Task { _ = try? await redis.send("PUBLISH", channel, "\(token) stop") }
    }

    private func readLoop() {
        var delay: UInt32 = 100_000
        while !stopped.load(ordering: .acquiring) {
            do {
                let connection = try redis.makeDedicatedConnection(commandTimeout: nil)
                try connection.append(["SUBSCRIBE", channel])
                _ = try connection.readReply()
                delay = 100_000
                hub.publishAll()
                while !stopped.load(ordering: .acquiring) {
                    let message = try connection.readReply()
                    guard let parts = message.array, parts.count == 3, parts[0].string == "message",
                        let text = parts[2].string
                    else { continue }
                    let id = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? text
                    if id == stopToken { break }
                    hub.publish(id)
                }
            } catch {
                if stopped.load(ordering: .acquiring) { break }
                logger.warning("job event subscription lost; reconnecting", metadata: ["error": "\(error)"])
                hub.publishAll()
                usleep(delay)
                delay = min(delay * 2, 5_000_000)
            }
        }
    }
}
