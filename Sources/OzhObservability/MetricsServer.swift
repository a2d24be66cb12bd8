import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OzhSupport
import ServiceLifecycle

/// A worker's small HTTP port (`METRICS_HOST`:`METRICS_PORT`) serving `/metrics`, `/health`
/// and `/ready` (see ``MetricsEndpoints``), on Hummingbird like the gateway.
///
/// ``bind(host:port:readiness:collectors:logger:)`` opens the port at once (the Hummingbird
/// server starts and reports the port it bound), so a taken port is reported at start-up;
/// ``run()`` serves until graceful shutdown, then stops accepting and lets requests in progress
/// finish. Every answer says `Connection: close`, and a connection is closed after 10 s without
/// a read (Prometheus's own scrape time-out), so no client can hold a shutdown open.
public final class MetricsServer: Service, Sendable {
    private let group: ServiceGroup
    private let serving: Task<Void, any Error>
    private let logger: Logger

    /// The port actually bound (useful with port 0).
    public let port: Int?

    private init(group: ServiceGroup, serving: Task<Void, any Error>, port: Int?, logger: Logger) {
        self.group = group
        self.serving = serving
        self.port = port
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
        let endpoints = MetricsEndpoints(readiness: readiness, collectors: collectors, logger: logger)
        let (bound, reportBound) = AsyncStream.makeStream(of: Int.self)
        // Hummingbird's own start and stop lines would repeat ours.
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let application = Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in
                await Self.response(to: request, endpoints: endpoints)
            },
            server: .http1(configuration: .init(idleTimeout: .seconds(10))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), reuseAddress: true),
            onServerRunning: { channel in
                reportBound.yield(channel.localAddress?.port ?? -1)
                reportBound.finish()
            },
            logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: quiet))
        let serving = Task {
            defer { reportBound.finish() }
            try await group.run()
        }
        var ports = bound.makeAsyncIterator()
        guard let actual = await ports.next() else {
            // The server ended before it was running: it could not bind.
            let reason: String
            switch await serving.result {
            case .failure(let error): reason = "\(error)"
            case .success: reason = "the server stopped before it listened"
            }
            throw .cannotBind(host: host, port: port, reason: reason)
        }
        return MetricsServer(group: group, serving: serving, port: actual < 0 ? nil : actual, logger: logger)
    }

    /// Serves until graceful shutdown (or cancellation); then closes the port and waits for
    /// the requests in progress.
    public func run() async throws {
        logger.info("metrics server listening", metadata: ["address": "\(port.map { "port \($0)" } ?? "?")"])
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                if case .failure(let error) = await serving.result {
                    logger.debug("metrics server stopped accepting", metadata: ["error": "\(error)"])
                }
            } onCancel: {
                self.close()
            }
        } onGracefulShutdown: {
            self.close()
        }
        logger.info("metrics server stopped")
    }

    /// Stops accepting connections without ServiceLifecycle (tests, embedding); requests in
    /// progress finish.
    public func close() {
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
    }

    /// The answer of ``MetricsEndpoints`` as an HTTP response (`HEAD` gets the headers of `GET`).
    static func response(to request: Request, endpoints: MetricsEndpoints) async -> Response {
        let reply = await endpoints.respond(method: request.method.rawValue, uri: request.uri.description)
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        headers[.contentLength] = String(reply.body.count)
        headers[.connection] = "close"
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body))
        return Response(status: HTTPTypes.HTTPResponse.Status(code: reply.status), headers: headers, body: body)
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
