import Synchronization

/// A Lua script run with EVALSHA, loaded on first use and again after a NOSCRIPT reply
/// (the server restarted or `SCRIPT FLUSH` ran).
public final class RedisScript: Sendable {
    /// The Lua source.
    public let source: String
    /// A name for logs and errors.
    public let name: String
    private let sha = Mutex<String?>(nil)

    /// Wraps `source`; nothing is sent to Redis until the first run.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// Lua helpers shared by the project's scripts: `now_ms()` reads Redis' own clock (so
    /// machines with skewed clocks agree) and `fmt(n)` writes an integer without exponent.
    /// (`Lua/clock.lua`.)
    public static let clockHelpers = LuaSource.text(PackageResources.clock_lua)

    func cachedSHA() -> String? { sha.withLock { $0 } }
    func remember(_ value: String) { sha.withLock { $0 = value } }
}

extension RedisClient {
    /// Runs `script` with `keys` and `arguments` by EVALSHA, loading it when the server lacks it.
    public func run(_ script: RedisScript, keys: [String] = [], arguments: [String] = []) async throws(RedisError) -> RedisReply {
        let reply = try await runEach(script, [(keys, arguments)])[0]
        if case .error(let text) = reply { throw .reply(text) }
        return reply
    }

    /// Runs `script` once per call, pipelined in one round trip; error replies are returned in
    /// place. A call the server answers NOSCRIPT (its script cache was flushed, or it
    /// restarted) is run again after the script is loaded; the others are not repeated.
    public func runEach(_ script: RedisScript, _ calls: [(keys: [String], arguments: [String])]) async throws(RedisError) -> [RedisReply] {
        var replies = [RedisReply?](repeating: nil, count: calls.count)
        // A SCRIPT FLUSH can also land between the load and the call: try again then.
        for _ in 0..<3 {
            if let sha = script.cachedSHA() {
                let pending = replies.indices.filter { replies[$0] == nil }
                let answers = try await pipeline(
                    pending.map { index in
                        ["EVALSHA", sha, String(calls[index].keys.count)] + calls[index].keys + calls[index].arguments
                    })
                for (index, answer) in zip(pending, answers) where !answer.isNoScript { replies[index] = answer }
                if !replies.contains(where: { $0 == nil }) { return replies.map { $0! } }
            }
            guard let sha = try await send(["SCRIPT", "LOAD", script.source]).string else {
                throw .unexpectedReply("SCRIPT LOAD of \(script.name) returned no digest")
            }
            script.remember(sha)
        }
        throw .server("NOSCRIPT: \(script.name) vanished from the script cache three times in a row")
    }
}

extension RedisReply {
    /// The server does not have the script (EVALSHA of an unknown digest).
    var isNoScript: Bool {
        if case .error(let text) = self { return text.hasPrefix("NOSCRIPT") }
        return false
    }
}

extension RedisConnection {
    /// Blocking form of ``RedisClient/run(_:keys:arguments:)`` for code that owns a connection.
    public func run(_ script: RedisScript, keys: [String], arguments: [String]) throws(RedisError) -> RedisReply {
        let tail = [String(keys.count)] + keys + arguments
        if let sha = script.cachedSHA() {
            do {
                return try command(["EVALSHA", sha] + tail)
            } catch .server(let text) where text.hasPrefix("NOSCRIPT") {
                // fall through and load it again
            }
        }
        guard let sha = try command(["SCRIPT", "LOAD", script.source]).string else {
            throw .unexpectedReply("SCRIPT LOAD of \(script.name) returned no digest")
        }
        script.remember(sha)
        return try command(["EVALSHA", sha] + tail)
    }
}
