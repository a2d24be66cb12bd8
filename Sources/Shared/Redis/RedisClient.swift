import Logging
import NIOPosix
import Synchronization

/// A pool of hiredis connections used from async code.
///
/// Each call borrows an idle connection (or opens one), runs the command on the blocking
/// thread pool and returns the connection. A connection that fails with an I/O error is
/// dropped together with every idle connection of its generation, so after a Redis restart
/// the next call reconnects instead of tripping over each stale socket in turn.
public final class RedisClient: Sendable {
    /// Where this client connects.
    public let configuration: RedisConfiguration
    private let threadPool: NIOThreadPool
    private let state = Mutex(PoolState())

    private struct PoolState {
        var idle: [RedisConnection] = []
        var generation = 0
        var closed = false
    }

    /// Creates a client; no connection is opened until the first call.
    public init(configuration: RedisConfiguration, threadPool: NIOThreadPool = Blocking.redis) {
        self.configuration = configuration
        self.threadPool = threadPool
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
        try await withConnection { connection throws(RedisError) in try connection.command(arguments) }
    }

    /// Sends several commands in one round trip; error replies are returned in place, not thrown.
    public func pipeline(_ commands: [[String]]) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        return try await withConnection { connection throws(RedisError) in try connection.pipeline(commands) }
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
        let idle = state.withLock { state -> [RedisConnection] in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = idle  // freed as the array goes away
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
               state.idle.count < maxIdle {
                state.idle.append(connection)
            }
        }
    }
}
