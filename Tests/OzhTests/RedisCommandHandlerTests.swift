import NIOCore
import NIOEmbedded
import Testing

@testable import OzhRedis

/// The multiplexed connection's handler on an embedded channel (no server, virtual time):
/// concurrent commands leave in one flush, and one watchdog fails a late reply.
@Suite("Redis command handler")
struct RedisCommandHandlerTests {
    static func request(_ command: [String], on loop: EmbeddedEventLoop) -> RedisCommandHandler.Request {
        var buffer = ByteBuffer()
        buffer.writeRedisCommand(command)
        return .init(buffer: buffer, commands: 1, promise: loop.makePromise())
    }

    /// The result of `future` if it has completed (an embedded loop's future never completes
    /// by waiting).
    static func result(_ future: EventLoopFuture<[RedisReply]>) -> Result<[RedisReply], any Error>? {
        nonisolated(unsafe) var result: Result<[RedisReply], any Error>?
        future.whenComplete { result = $0 }
        return result
    }

    @Test func commandsFlushedInOneLoopTickLeaveInOneFlush() throws {
        let channel = EmbeddedChannel(handler: RedisCommandHandler(timeout: .seconds(5)))
        let loop = channel.embeddedEventLoop
        var futures: [EventLoopFuture<[RedisReply]>] = []
        for index in 0..<3 {
            let request = Self.request(["GET", "k\(index)"], on: loop)
            futures.append(request.promise.futureResult)
            channel.writeAndFlush(request, promise: nil)
        }
        // Each caller asked for a flush; nothing has left before the loop ran the queued one.
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        loop.run()
        var written: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written.append(String(buffer: buffer)) }
        #expect(written == (0..<3).map { "*2\r\n$3\r\nGET\r\n$2\r\nk\($0)\r\n" })
        // Replies complete the callers in order.
        for index in 0..<3 { try channel.writeInbound(RedisReply.bulk(Array("v\(index)".utf8))) }
        for (index, future) in futures.enumerated() { #expect(try Self.result(future)?.get() == [.bulk(Array("v\(index)".utf8))]) }
        _ = try channel.finish()
    }

    @Test func aReplyLaterThanTheTimeoutFailsTheConnection() throws {
        let timeout = Duration.milliseconds(200)
        let channel = EmbeddedChannel(handler: RedisCommandHandler(timeout: timeout))
        let loop = channel.embeddedEventLoop
        let answered = Self.request(["PING"], on: loop)
        channel.writeAndFlush(answered, promise: nil)
        loop.advanceTime(by: .milliseconds(150))
        try channel.writeInbound(RedisReply.status("PONG"))
        #expect(try Self.result(answered.promise.futureResult)?.get() == [.status("PONG")])
        let late = Self.request(["PING"], on: loop)
        channel.writeAndFlush(late, promise: nil)
        // Within the timeout nothing fails; past it (and one check interval) the call fails.
        loop.advanceTime(by: .milliseconds(190))
        #expect(Self.result(late.promise.futureResult) == nil, "still waiting within the timeout")
        loop.advanceTime(by: .milliseconds(10) + RedisCommandHandler.checkInterval(for: .milliseconds(200)))
        let outcome = try #require(Self.result(late.promise.futureResult), "not failed past the timeout")
        #expect(throws: RedisError.timeout) { try outcome.get() }
    }

    @Test func theWatchdogLooksAtATenthOfTheTimeoutWithinBounds() {
        #expect(RedisCommandHandler.checkInterval(for: .seconds(5)) == .milliseconds(250))
        #expect(RedisCommandHandler.checkInterval(for: .milliseconds(1000)) == .milliseconds(100))
        #expect(RedisCommandHandler.checkInterval(for: .milliseconds(50)) == .milliseconds(10))
    }
}
