import HummingbirdCore
import NIOCore

/// The request parts as they pass the gateway's channel pipeline (NIOHTTPTypes' `HTTPRequestPart`,
/// named through Hummingbird's public handler so no other package is needed).
typealias RequestPart = HTTPConnectionStateHandler.InboundIn

/// Drops slow clients: a request's head must be complete `header` after the connection opened
/// (or after the first byte of a keep-alive connection's next request), and a body may not
/// fall silent longer than `body` between two reads (nginx's `client_header_timeout` and
/// `client_body_timeout`). Hummingbird has only one idle timeout, reset by every parsed part,
/// so a client trickling header bytes one at a time was never dropped.
///
/// Idle keep-alive connections are Hummingbird's own idle timeout's business; while a route
/// answers (a long-poll waits up to 60 s) no deadline runs. Timers run on the channel's event
/// loop: no task per connection.
final class ClientDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = RequestPart
    typealias InboundOut = RequestPart
    typealias OutboundIn = ResponsePart
    typealias OutboundOut = ResponsePart

    enum Phase: Equatable {
        /// Waiting for the next request; no bytes of it yet.
        case awaiting
        /// Reading a request's head since this instant.
        case header(since: NIODeadline)
        /// Reading a request's body (the response may already be written: then `answered`).
        case body(answered: Bool)
        /// The request is read; a route answers it.
        case responding
    }

    private let header: TimeAmount
    private let body: TimeAmount
    private(set) var phase = Phase.awaiting
    private var lastByte = NIODeadline.now()
    private var timer: Scheduled<Void>?
    /// Set once a deadline closed the connection: the decoder's complaint about the cut-off
    /// request is dropped, so the server's task for the connection just ends (no 400 written
    /// to a closed socket), which keeps a burst of closes cheap for everyone else.
    private var expired = false

    init(header: TimeAmount, body: TimeAmount) {
        self.header = header
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Raw bytes are seen before the HTTP decoder, which reports a head only once complete.
        try? context.pipeline.syncOperations.addHandler(ByteArrivalHandler(owner: self), position: .first)
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard phase == .awaiting else { return }
        phase = .header(since: .now())
        arm(context)
    }

    /// Bytes arrived (any bytes: header, body or the next request's start).
    func bytesArrived(context: ChannelHandlerContext) {
        lastByte = .now()
        if phase == .awaiting {
            phase = .header(since: lastByte)
            arm(context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            phase = .body(answered: false)
            arm(context)
        case .body:
            break
        case .end:
            if case .body(let answered) = phase { phase = answered ? .awaiting : .responding }
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !expired else { return }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            switch phase {
            case .responding: phase = .awaiting
            case .body: phase = .body(answered: true)
            case .awaiting, .header: break
            }
        }
        context.write(data, promise: promise)
    }

    /// When the current phase's deadline passes, or nil when none runs.
    private var deadline: NIODeadline? {
        switch phase {
        case .header(let since): since + header
        case .body: lastByte + body
        case .awaiting, .responding: nil
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil, let deadline else { return }
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let due = self.deadline else { return }
            if due <= .now() {
                expired = true
                context.close(promise: nil)
            } else {
                arm(context)
            }
        }
    }
}

/// Tells ``ClientDeadlineHandler`` when bytes arrive, ahead of the HTTP decoder.
private final class ByteArrivalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let owner: ClientDeadlineHandler

    init(owner: ClientDeadlineHandler) { self.owner = owner }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner.bytesArrived(context: context)
        context.fireChannelRead(data)
    }
}
