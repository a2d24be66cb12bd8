import NIOCore
import OzhObservability
import Synchronization

/// The gateway's overall cap on open client connections (`MAX_CONNECTIONS`), shared by every
/// connection's ``ConnectionLimitHandler``. Over it a new connection is closed at once, before
/// anything of it is read, so its memory and file descriptor are returned immediately.
final class ConnectionLimiter: Sendable {
    /// The cap.
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Connections open now.
    var current: Int { open.load(ordering: .relaxed) }

    /// Counts a new connection in; false (and nothing counted) when the cap is reached.
    func enter() -> Bool {
        let (now, _) = open.wrappingAdd(1, ordering: .relaxed)
        guard now + 1 <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Counts a connection out.
    func leave() { open.wrappingSubtract(1, ordering: .relaxed) }

    /// A fresh handler for one connection's pipeline.
    func handler() -> ConnectionLimitHandler { ConnectionLimitHandler(limiter: self) }
}

/// Counts its connection in ``ConnectionLimiter`` while it is open, or closes it when full.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = RequestPart
    typealias InboundOut = RequestPart

    private let limiter: ConnectionLimiter
    private var counted = false

    init(limiter: ConnectionLimiter) { self.limiter = limiter }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = limiter.enter()
        if !counted {
            EdgeMetrics.refused(.connection)
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted { limiter.leave() }
        counted = false
    }
}
