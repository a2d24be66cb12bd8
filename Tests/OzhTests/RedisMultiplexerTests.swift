import Foundation
import NIOCore
import TestSupport
import Testing

@testable import OzhRedis

@Suite("Redis multiplexed connections")
struct RedisMultiplexerTests {
    /// Every reply type, fed to the decoder split at every possible byte, decodes the same.
    @Test func decoderHandlesEveryReplyTypeInPieces() throws {
        let wire = "+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nh\r\nl!\r\n$-1\r\n*-1\r\n*3\r\n$1\r\na\r\n*1\r\n:7\r\n$0\r\n\r\n"
        let expected: [RedisReply] = [
            .status("OK"), .error("ERR bad"), .integer(-42), .bulk(Array("h\r\nl!".utf8)), .null, .null,
            .array([.bulk(Array("a".utf8)), .array([.integer(7)]), .bulk([])]),
        ]
        let bytes = Array(wire.utf8)
        for split in 0...bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<split])
            var replies: [RedisReply] = []
            while let reply = try RESPDecoder.parse(&buffer, depth: 0) { replies.append(reply) }
            buffer.writeBytes(bytes[split...])
            while let reply = try RESPDecoder.parse(&buffer, depth: 0) { replies.append(reply) }
            #expect(replies == expected, "split at \(split)")
            #expect(buffer.readableBytes == 0)
        }
        var bad = ByteBuffer(string: "?what\r\n")
        #expect(throws: RedisError.self) { try RESPDecoder.parse(&bad, depth: 0) }
    }

    @Test func encoderWritesArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        buffer.writeRedisCommand(["SET", "ключ", ""])
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$8\r\nключ\r\n$0\r\n\r\n")
    }

    /// Many callers share the connections; each gets its own replies, in order.
    @Test(.needsRedis) func concurrentCallersGetTheirOwnReplies() async throws {
        let (redis, p) = try TestServers.redis()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<500 {
                group.addTask {
                    let replies = try await redis.pipeline([["SET", p + "k\(index)", "v\(index)"], ["GET", p + "k\(index)"]])
                    #expect(replies == [.status("OK"), .bulk(Array("v\(index)".utf8))])
                }
            }
            try await group.waitForAll()
        }
        let keys = (0..<500).map { p + "k\($0)" }
        #expect(try await redis.send(["DEL"] + keys) == .integer(500))
    }

    /// A reply that does not come in time fails the call with `timeout`; the connection is
    /// replaced and the next call works.
    @Test(.needsRedis) func slowReplyTimesOutAndTheNextCallReconnects() async throws {
        // A private server: the busy script would stall every other test on the shared one.
        let server = try PrivateRedis()
        defer { server.stop() }
        let configuration = try RedisConfiguration(url: server.url, commandTimeout: .milliseconds(150))
        let redis = RedisClient(configuration: configuration)
        #expect(try await redis.send("PING") == .status("PONG"))
        let busy =
            "local t = redis.call('TIME'); local stop = t[1] * 1000000 + t[2] + 400000; "
            + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop; return 1"
        let started = ContinuousClock.now
        await #expect(throws: RedisError.timeout) { try await redis.send("EVAL", busy, "0") }
        #expect(ContinuousClock.now - started < .seconds(2))
        try await Task.sleep(for: .milliseconds(400)) // the script ends on the server
        #expect(try await redis.send("PING") == .status("PONG"))
    }

    /// The database and password in the URL apply to multiplexed connections too.
    @Test(.needsRedis) func selectsTheDatabaseFromTheURL() async throws {
        let base = try TestServers.redisURL
        guard let url = URL(string: base), let host = url.host, let port = url.port else { return }
        let db5 = try RedisClient(url: "redis://\(host):\(port)/5")
        let db0 = try RedisClient(url: "redis://\(host):\(port)/0")
        let key = "test:mux:\(UUID().uuidString)"
        try await db5.send("SET", key, "five")
        #expect(try await db5.send("GET", key).string == "five")
        #expect(try await db0.send("GET", key) == .null)
        try await db5.send("DEL", key)
        let wrongPassword = try RedisClient(url: "redis://someone:nope@\(host):\(port)/0")
        await #expect(throws: RedisError.self) { try await wrongPassword.send("PING") }
    }
}
