import Logging
import NIOPosix
import OzhSupport
import Synchronization

/// Redis from async code: ordinary commands go through a few multiplexed connections on
/// NIO's event loops (``RedisMultiplexer``); blocking commands and ``withConnection(_:)`` use a
/// pool of hiredis connections.
///
/// A pooled call borrows an idle connection (or opens one), runs on the blocking thread pool
/// and returns the connection. A connection that fails with an I/O error is
/// dropped together with every idle connection of its generation, so after a Redis restart
/// the next call reconnects instead of tripping over each stale socket in turn.
public final class RedisClient: Sendable {
    /// Where this client connects.
    public let configuration: RedisConfiguration
    private let threadPool: NIOThreadPool
    private let state = Mutex(PoolState())
    private let multiplexer: RedisMultiplexer

    private struct PoolState {
        var idle: [RedisConnection] = []
        var generation = 0
        var closed = false
    }

    /// Creates a client; no connection is opened until the first call.
    public init(configuration: RedisConfiguration, threadPool: NIOThreadPool = Blocking.redis) {
        self.configuration = configuration
        self.threadPool = threadPool
        multiplexer = RedisMultiplexer(configuration: configuration)
    }

    deinit {
        multiplexer.shutdown()
    }

    /// Convenience: parses `url` (see ``RedisConfiguration/init(url:connectTimeout:commandTimeout:maxIdleConnections:)``).
    public convenience init(url: String) throws(RedisError) {
        self.init(configuration: try RedisConfiguration(url: url))
    }

    /// Sends one command, e.g. `try await redis.send("HGET", key, field)`.
    @discardableResult
    public func send(_ arguments: String...) async throws(RedisError) -> RedisReply {
        try await send(arguments)
    }

    /// Sends one command given as an argument array.
    @discardableResult
    public func send(_ arguments: [String]) async throws(RedisError) -> RedisReply {
        if Self.blocks(arguments) {
            return try await withConnection { connection throws(RedisError) in try connection.command(arguments) }
        }
        let reply = try await multiplexer.execute([arguments])[0]
        if case .error(let text) = reply { throw .reply(text) }
        return reply
    }

    /// Sends several commands in one round trip; error replies are returned in place, not thrown.
    public func pipeline(_ commands: [[String]]) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        if commands.contains(where: Self.blocks) {
            return try await withConnection { connection throws(RedisError) in try connection.pipeline(commands) }
        }
        return try await multiplexer.execute(commands)
    }

    /// Commands that make the server hold the connection: they must not share one.
    private static let blockingCommands: Set<String> = [
        "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "XREAD", "XREADGROUP",
        "WAIT", "WAITAOF", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "MULTI", "WATCH", "DEBUG",
    ]

    static func blocks(_ command: [String]) -> Bool {
        guard let name = command.first else { return false }
        return blockingCommands.contains(name.uppercased())
    }

    /// Runs `body` with a pooled connection on the blocking thread pool.
    ///
    /// `body` must not keep the connection. Use it for a short sequence of commands that
    /// must share a connection (MULTI/EXEC); blocking commands belong on a dedicated connection.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws(RedisError) -> T
    ) async throws(RedisError) -> T {
        let result: Result<T, RedisError>
        do {
            result = try await threadPool.runIfActive { [self] in
                self.borrowAndRun(body)
            }
        } catch {
            throw .unavailable("the blocking thread pool is shut down")
        }
        return try result.get()
    }

    /// Opens a connection outside the pool, for blocking commands (BLMOVE) and subscriptions.
    /// The caller owns it and must only use it from blocking threads.
    public func makeDedicatedConnection(commandTimeout: Duration? = nil) throws(RedisError) -> RedisConnection {
        let connection = try RedisConnection(configuration: configuration)
        try connection.setTimeout(commandTimeout)
        return connection
    }

    /// Closes idle connections and refuses new ones.
    public func shutdown() {
        multiplexer.shutdown()
        let idle = state.withLock { state -> [RedisConnection] in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = idle // freed as the array goes away
    }

    private func borrowAndRun<T>(_ body: (RedisConnection) throws(RedisError) -> T) -> Result<T, RedisError> {
        let (borrowed, generation, closed) = state.withLock { state in
            (state.idle.popLast(), state.generation, state.closed)
        }
        if closed { return .failure(.unavailable("the client is shut down")) }
        let connection: RedisConnection
        if let borrowed {
            connection = borrowed
        } else {
            do throws(RedisError) {
                connection = try RedisConnection(configuration: configuration, generation: generation)
            } catch {
                return .failure(error)
            }
        }
        do throws(RedisError) {
            let value = try body(connection)
            giveBack(connection)
            return .success(value)
        } catch {
            if error.breaksConnection || connection.isBroken {
                // Drop every idle connection made before this failure: they probably share its fate.
                let stale = state.withLock { state -> [RedisConnection] in
                    state.generation += 1
                    defer { state.idle.removeAll() }
                    return state.idle
                }
                _ = stale
            } else {
                giveBack(connection)
            }
            return .failure(error)
        }
    }

    private func giveBack(_ connection: RedisConnection) {
        let maxIdle = configuration.maxIdleConnections
        state.withLock { state in
            if !state.closed, connection.generation == state.generation, !connection.isBroken,
                state.idle.count < maxIdle
            {
                state.idle.append(connection)
            }
        }
    }
}
