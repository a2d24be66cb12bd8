import NIOCore

/// The channel handler of a multiplexed Redis connection: requests from any number of
/// callers are written in order, and replies, which Redis sends in the same order, complete
/// them first-in first-out. A failure or a closed connection fails everything still waiting.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisReply
    typealias OutboundIn = Request
    typealias OutboundOut = ByteBuffer

    /// Encoded commands and the promise of their replies (one per command).
    struct Request: Sendable {
        var buffer: ByteBuffer
        var commands: Int
        var promise: EventLoopPromise<[RedisReply]>
    }

    private struct Waiting {
        var expected: Int
        var replies: [RedisReply]
        var promise: EventLoopPromise<[RedisReply]>
    }

    private var waiting = CircularBuffer<Waiting>(initialCapacity: 64)
    private var failure: RedisError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(request.commands)
        waiting.append(Waiting(expected: request.commands, replies: replies, promise: request.promise))
        context.write(wrapOutboundOut(request.buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard !waiting.isEmpty else {
            fail(context, .unexpectedReply("a reply nobody asked for"))
            return
        }
        waiting[waiting.startIndex].replies.append(reply)
        if waiting[waiting.startIndex].replies.count == waiting[waiting.startIndex].expected {
            let done = waiting.removeFirst()
            done.promise.succeed(done.replies)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, (error as? RedisError) ?? .unavailable("\(error)"))
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(failure ?? .unavailable("the connection closed"))
        context.fireChannelInactive()
    }

    private func fail(_ context: ChannelHandlerContext, _ error: RedisError) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        if failure == nil { failure = error }
        while let next = waiting.popFirst() { next.promise.fail(error) }
    }
}
