import NIOCore

/// The channel handler of a multiplexed Redis connection: requests from any number of
/// callers are written in order, and replies, which Redis sends in the same order, complete
/// them first-in first-out. A failure or a closed connection fails everything still waiting.
///
/// One watchdog per connection enforces the command timeout: a request still unanswered
/// `timeout` after it was written fails the connection with ``RedisError/timeout`` (replies are
/// matched by order, so a late one could never be told apart). It is checked every
/// ``checkInterval(for:)``, so a timeout is seen at most that much late; no timer is armed
/// and cancelled per command.
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
        /// When the request was written (the loop's clock), plus the timeout.
        var deadline: NIODeadline
    }

    private let timeout: TimeAmount
    private var watchdog: Scheduled<Void>?

    /// A handler failing the connection when a request waits longer than `timeout`.
    init(timeout: Duration) {
        self.timeout = .nanoseconds(timeout.nanoseconds)
    }

    /// How often the watchdog looks: a tenth of the timeout, between 10 ms and 250 ms.
    static func checkInterval(for timeout: TimeAmount) -> TimeAmount {
        .nanoseconds(min(max(timeout.nanoseconds / 10, 10_000_000), 250_000_000))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        armWatchdog(context)
    }

    /// Looks at the oldest request after one ``checkInterval(for:)``, then again, until the
    /// connection fails or the handler goes.
    private func armWatchdog(_ context: ChannelHandlerContext) {
        watchdog = context.eventLoop.assumeIsolated().scheduleTask(in: Self.checkInterval(for: timeout)) {
            if let oldest = self.waiting.first, oldest.deadline < context.eventLoop.now {
                self.fail(context, .timeout)
            } else if self.failure == nil {
                self.armWatchdog(context)
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        watchdog?.cancel()
        watchdog = nil
    }

    private var waiting = CircularBuffer<Waiting>(initialCapacity: 64)
    private var failure: RedisError?
    /// A flush is queued on the event loop: the writes before it go out with it.
    private var flushQueued = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(request.commands)
        waiting.append(Waiting(expected: request.commands, replies: replies, promise: request.promise, deadline: context.eventLoop.now + timeout))
        context.write(wrapOutboundOut(request.buffer), promise: promise)
    }

    /// Coalesces flushes: every caller's `writeAndFlush` is its own task on the event loop, so
    /// under load many run in one loop tick; the first queues one flush behind them and the
    /// rest only write, so a burst of concurrent commands leaves in one `write` syscall (and
    /// reaches Redis in one read) instead of one each. Nothing waits longer than the tasks
    /// already queued on this loop.
    func flush(context: ChannelHandlerContext) {
        guard !flushQueued else { return }
        flushQueued = true
        context.eventLoop.assumeIsolated().execute {
            self.flushQueued = false
            context.flush()
        }
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
