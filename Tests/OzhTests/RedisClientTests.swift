import Foundation
import TestSupport
import Testing

@testable import OzhDomain
@testable import OzhRedis

@Suite("Redis bridge")
struct RedisClientTests {
    @Test func parsesURLs() throws {
        let full = try RedisConfiguration(url: "redis://bob:s%40cret@cache.local:6380/3")
        #expect(full.host == "cache.local")
        #expect(full.port == 6380)
        #expect(full.username == "bob")
        #expect(full.password == "s@cret")
        #expect(full.database == 3)
        #expect(!full.redacted.contains("cret"))
        let bare = try RedisConfiguration(url: "redis://localhost")
        #expect(bare.port == 6379 && bare.database == 0)
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://localhost") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://localhost/x") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "rediss://localhost") }
    }

    @Test(.needsRedis) func typedReplies() async throws {
        let (redis, p) = try TestServers.redis()
        #expect(try await redis.send("SET", p + "s", "héllo") == .status("OK"))
        #expect(try await redis.send("GET", p + "s").string == "héllo")
        #expect(try await redis.send("INCRBY", p + "n", "41") == .integer(41))
        #expect(try await redis.send("GET", p + "missing") == .null)
        try await redis.send("RPUSH", p + "l", "a", "b")
        #expect(try await redis.send("LRANGE", p + "l", "0", "-1").array?.compactMap(\.string) == ["a", "b"])
        try await redis.send("HSET", p + "h", "f1", "v1", "f2", "v2")
        #expect(try await redis.send("HGETALL", p + "h").pairs == ["f1": "v1", "f2": "v2"])
        await #expect(throws: RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value")) {
            try await redis.send("GET", p + "l")
        }
        // Binary-safe arguments: an embedded NUL survives.
        try await redis.send("SET", p + "b", "a\u{0}b")
        #expect(try await redis.send("STRLEN", p + "b") == .integer(3))
        try await redis.send("DEL", p + "s", p + "n", p + "l", p + "h", p + "b")
    }

    @Test(.needsRedis) func pipelineKeepsOrderAndErrorsInPlace() async throws {
        let (redis, p) = try TestServers.redis()
        let replies = try await redis.pipeline([["SET", p + "k", "1"], ["INCR", p + "k"], ["LPUSH", p + "k", "x"], ["GET", p + "k"]])
        #expect(replies.count == 4)
        #expect(replies[1] == .integer(2))
        if case .error(let text) = replies[2] { #expect(text.hasPrefix("WRONGTYPE")) } else { Issue.record("expected an error reply") }
        #expect(replies[3].string == "2")
        try await redis.send("DEL", p + "k")
    }

    @Test(.needsRedis) func scriptsReloadAfterFlush() async throws {
        let (redis, p) = try TestServers.redis()
        let script = RedisScript(name: "add", source: "return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try await redis.run(script, keys: [p + "c"], arguments: ["5"]) == .integer(5))
        try await redis.send("SCRIPT", "FLUSH")
        #expect(try await redis.run(script, keys: [p + "c"], arguments: ["2"]) == .integer(7))
        try await redis.send("DEL", p + "c")
    }

    @Test(.needsRedis) func concurrentCallsShareThePool() async throws {
        let (redis, p) = try TestServers.redis()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { try await redis.send("INCR", p + "count") } }
            try await group.waitForAll()
        }
        #expect(try await redis.send("GET", p + "count").int == 200)
        try await redis.send("DEL", p + "count")
    }

    @Test(.needsRedis) func commandTimeout() async throws {
        let configuration = try RedisConfiguration(url: try TestServers.redisURL, commandTimeout: .milliseconds(200))
        let redis = RedisClient(configuration: configuration)
        let started = ContinuousClock.now
        await #expect(throws: RedisError.timeout) {
            try await redis.send("BLPOP", "test:never:\(UUID().uuidString)", "20")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(try await redis.send("PING") == .status("PONG"))
    }

    @Test func unreachableServerFailsFast() async throws {
        let redis = try RedisClient(url: "redis://127.0.0.1:\(try freeLoopbackPort())/0")
        await #expect(throws: RedisError.self) { try await redis.send("PING") }
    }

    @Test(.needsRedis) func reconnectsAfterServerRestart() async throws {
        let server = try PrivateRedis()
        let redis = try RedisClient(url: server.url)
        // Fill the pool with several idle connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await redis.send("PING") } }
            try await group.waitForAll()
        }
        server.stop()
        await #expect(throws: RedisError.self) { try await redis.send("PING") }
        try server.start()
        // The failed call dropped the stale idle connections: the next call reconnects.
        #expect(try await redis.send("PING") == .status("PONG"))
        #expect(try await redis.send("SET", "k", "v") == .status("OK"))
        server.stop()
    }
    /// A server that cannot serve yet (`LOADING` its AOF after a restart, `BUSY` with a script)
    /// is unavailable (the gateway answers 503 and callers retry), not a failed command.
    @Test(.needsRedis) func aServerThatCannotServeYetIsUnavailable() async throws {
        #expect(RedisError.reply("LOADING Redis is loading the dataset in memory").code == "redis_unavailable")
        #expect(RedisError.reply("ERR unknown command 'NOPE'") == .server("ERR unknown command 'NOPE'"))
        let server = try PrivateRedis()
        defer { server.stop() }
        let redis = try RedisClient(url: server.url)
        #expect(try await redis.send("CONFIG", "SET", "busy-reply-threshold", "50") == .status("OK"))
        // The script spins until SCRIPT KILL (at most 20 s), on connections of its own: the
        // probes below never queue behind it, however the test is scheduled.
        let spinner = try RedisClient(url: server.url)
        let spin = Task {
            try await spinner.send(
                "EVAL",
                """
                local t = redis.call('TIME') local start = t[1] * 1000000 + t[2]
                repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - start > 20000000
                return 1
                """, "0")
        }
        var busy: RedisError?
        let deadline = ContinuousClock.now + .seconds(15)
        while busy == nil, ContinuousClock.now < deadline {
            do throws(RedisError) {
                _ = try await redis.send("PING")
            } catch {
                busy = error
            }
            if busy == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(busy?.code == "redis_unavailable")
        #expect(busy?.message.contains("BUSY") == true)
        #expect(try await redis.send("SCRIPT", "KILL") == .status("OK"))
        await #expect(throws: RedisError.self) { try await spin.value }
        #expect(try await redis.send("PING") == .status("PONG"))
    }
}
