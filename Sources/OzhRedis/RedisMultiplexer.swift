import NIOCore
import NIOPosix
import Synchronization

/// A few Redis connections on NIO's event loops, each shared by any number of concurrent
/// callers: their commands are pipelined on the socket and the replies come back in order.
///
/// This is the fast path of ``RedisClient`` for ordinary (non-blocking) commands: no thread
/// blocks while Redis answers and no connection is borrowed or returned, so a call costs one
/// hop to an event loop and one back instead of a blocking round trip on a pool thread.
/// Blocking commands (BLMOVE, SUBSCRIBE…) and multi-call conversations still use hiredis
/// connections of their own. A connection that fails or times out is closed, failing the
/// commands queued on it; the next call opens a new one.
final class RedisMultiplexer: Sendable {
    private let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let slots: Mutex<[Slot]>
    private let connections: Int
    private let next = Atomic<Int>(0)

    private enum Slot {
        case idle
        case connecting(EventLoopFuture<Channel>)
        case ready(Channel)
    }

    /// `connections` shared connections (default: one per core, at most 4).
    init(
        configuration: RedisConfiguration, connections: Int = min(4, max(1, System.coreCount)),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.group = group
        self.connections = max(1, connections)
        slots = Mutex(Array(repeating: Slot.idle, count: max(1, connections)))
    }

    /// Sends `commands` in one write and returns their replies in order; error replies are
    /// returned in place. Fails with ``RedisError/timeout`` after the command timeout and
    /// ``RedisError/unavailable(_:)`` when the connection cannot be made or breaks.
    func execute(_ commands: [[String]]) async throws(RedisError) -> [RedisReply] {
        let turn = next.wrappingAdd(1, ordering: .relaxed).oldValue
        let index = Int(UInt(bitPattern: turn) % UInt(connections)) // never negative, even after wrapping
        let channel = try await channel(index)
        // The connection's handler fails it when a reply is later than the command timeout.
        let replies = Self.send(commands, on: channel)
        do {
            return try await replies.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Closes every connection.
    func shutdown() {
        let old = slots.withLock { slots -> [Slot] in
            defer { slots = Array(repeating: .idle, count: slots.count) }
            return slots
        }
        for case .ready(let channel) in old { channel.close(promise: nil) }
    }

    private func channel(_ index: Int) async throws(RedisError) -> Channel {
        let future: EventLoopFuture<Channel> = slots.withLock { slots in
            switch slots[index] {
            case .ready(let channel) where channel.isActive:
                return channel.eventLoop.makeSucceededFuture(channel)
            case .connecting(let future):
                return future
            default:
                let future = connect()
                slots[index] = .connecting(future)
                return future
            }
        }
        do {
            let channel = try await future.get()
            slots.withLock { slots in
                if case .connecting = slots[index] { slots[index] = .ready(channel) }
            }
            return channel
        } catch {
            slots.withLock { slots in
                if case .connecting = slots[index] { slots[index] = .idle }
            }
            if let error = error as? RedisError { throw error }
            throw .unavailable("cannot connect to \(configuration.redacted): \(error)")
        }
    }

    /// Opens a connection, then authenticates and selects the database.
    private func connect() -> EventLoopFuture<Channel> {
        let configuration = self.configuration
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount.nanoseconds(configuration.connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler(timeout: configuration.commandTimeout))
                }
            }
        let connected =
            configuration.unixSocket.map { bootstrap.connect(unixDomainSocketPath: $0) }
            ?? bootstrap.connect(host: configuration.host, port: configuration.port)
        return connected.flatMap { channel in
            var setup: [[String]] = []
            if let password = configuration.password {
                setup.append(configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            }
            if configuration.database != 0 { setup.append(["SELECT", String(configuration.database)]) }
            guard !setup.isEmpty else { return channel.eventLoop.makeSucceededFuture(channel) }
            return Self.send(setup, on: channel).flatMapThrowing { replies in
                if let failed = replies.first(where: { if case .error = $0 { true } else { false } }), case .error(let text) = failed {
                    channel.close(promise: nil)
                    throw RedisError.unavailable("Redis refused the connection set-up: \(text)")
                }
                return channel
            }
        }
    }
}

extension RedisMultiplexer {
    /// Writes `commands` in one write; the future holds their replies in order.
    fileprivate static func send(_ commands: [[String]], on channel: Channel) -> EventLoopFuture<[RedisReply]> {
        var buffer = channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { buffer.writeRedisCommand(command) }
        let promise = channel.eventLoop.makePromise(of: [RedisReply].self)
        channel.writeAndFlush(RedisCommandHandler.Request(buffer: buffer, commands: commands.count, promise: promise))
            .whenFailure { promise.fail($0) }
        return promise.futureResult
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled &+ attoseconds / 1_000_000_000
    }
}
