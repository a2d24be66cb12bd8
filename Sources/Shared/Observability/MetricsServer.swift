import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A worker's small HTTP port (`METRICS_HOST`:`METRICS_PORT`) serving `/metrics`, `/health`
/// and `/ready` (see ``MetricsEndpoints``).
///
/// ``bind(host:port:readiness:collectors:logger:)`` opens the port at once, so a taken port is
/// reported at start-up; ``run()`` serves until graceful shutdown, then stops accepting and lets
/// requests in progress finish. Each connection serves one request (`Connection: close`) and is
/// closed after 10 s without a read (Prometheus's own scrape time-out), so no client can hold a
/// shutdown open.
public final class MetricsServer: Service, Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let listener: NIOAsyncChannel<Connection, Never>
    private let endpoints: MetricsEndpoints
    private let logger: Logger

    /// The port actually bound (useful with port 0).
    public var port: Int? { listener.channel.localAddress?.port }

    private init(listener: NIOAsyncChannel<Connection, Never>, endpoints: MetricsEndpoints, logger: Logger) {
        self.listener = listener
        self.endpoints = endpoints
        self.logger = logger
    }

    /// Opens `host`:`port` (0 picks a free port). `readiness` decides `/ready`; `collectors`
    /// refresh scrape-time gauges before each `/metrics`.
    public static func bind(
        host: String, port: Int, readiness: [ReadinessCheck], collectors: [any MetricsCollector], logger: Logger
    ) async throws(MetricsServerError) -> MetricsServer {
        try await bind(host: host, port: port, readiness: CachedReadiness(checks: readiness), collectors: collectors, logger: logger)
    }

    /// ``bind(host:port:readiness:collectors:logger:)`` sharing `readiness`'s cache (the gateway's
    /// public `/ready` and its metrics port's ask the dependencies at most once a second together).
    public static func bind(
        host: String, port: Int, readiness: CachedReadiness, collectors: [any MetricsCollector], logger: Logger
    ) async throws(MetricsServerError) -> MetricsServer {
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(10)))
                        try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .cannotBind(host: host, port: port, reason: "\(error)")
        }
        let endpoints = MetricsEndpoints(readiness: readiness, collectors: collectors, logger: logger)
        return MetricsServer(listener: listener, endpoints: endpoints, logger: logger)
    }

    /// Serves until graceful shutdown (or cancellation); then closes the port and waits for
    /// the requests in progress.
    public func run() async throws {
        logger.info("metrics server listening", metadata: ["address": "\(listener.channel.localAddress.map { "\($0)" } ?? "?")"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                } catch {
                    logger.debug("metrics server stopped accepting", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            self.listener.channel.close(promise: nil)
        }
        logger.info("metrics server stopped")
    }

    /// Stops accepting connections without ServiceLifecycle (tests, embedding).
    public func close() {
        listener.channel.close(promise: nil)
    }

    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let value):
                        head = value
                    case .body:
                        continue
                    case .end:
                        guard let request = head else { return }
                        let reply = await endpoints.respond(method: request.method.rawValue, uri: request.uri)
                        try await Self.write(reply, for: request, to: outbound)
                        return
                    }
                }
            }
        } catch {
            logger.debug("metrics connection failed", metadata: ["error": "\(error)"])
        }
    }

    private static func write(
        _ reply: MetricsEndpoints.Reply, for request: HTTPRequestHead, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: reply.contentType)
        headers.add(name: "Content-Length", value: String(reply.body.count))
        headers.add(name: "Connection", value: "close")
        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: reply.status),
                                                        headers: headers)))
        if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))) }
        try await outbound.write(.end(nil))
    }
}

/// Closes a connection when ``IdleStateHandler`` reports that it sent nothing for too long.
private final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Why the metrics port could not be opened.
public enum MetricsServerError: CodedError, Equatable {
    /// The address is taken, not local, or not allowed. Code `metrics_port_unavailable`.
    case cannotBind(host: String, port: Int, reason: String)

    public var code: String { "metrics_port_unavailable" }

    public var message: String {
        switch self {
        case .cannotBind(let host, let port, let reason): "cannot listen on \(host):\(port) (METRICS_HOST/METRICS_PORT): \(reason)"
        }
    }
}
