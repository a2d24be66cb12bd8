import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OzhObservability

/// The request context of the gateway's routes: Hummingbird's core plus the peer's address
/// (the YooKassa webhook checks who sent it).
struct GatewayContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Builds the gateway's router: request metrics outermost, then errors as JSON, then 405 for
/// known paths asked with another method, then the api-key check, then routes.
func buildRouter(_ services: GatewayServices) -> Router<GatewayContext> {
    let router = Router(context: GatewayContext.self)
    let methods = RouteMethods()
    MetricsRoutes(services: services).register(on: router)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(routes: methods))
    router.add(middleware: APIKeyMiddleware(keys: services.settings.gateway.apiKeys))
    HealthRoutes(services: services).register(on: router)
    OpenAPIRoutes().register(on: router)
    UsersRoutes(services: services).register(on: router)
    JobsRoutes(services: services).register(on: router)
    GenerateRoutes(services: services).register(on: router)
    PaymentsRoutes(services: services).register(on: router)
    WebhookRoutes(services: services).register(on: router)
    methods.load(router.routes)
    return router
}

/// The whole gateway as a Hummingbird application (a Service: SIGTERM drains it gracefully).
/// Requests the HTTP parser refuses get the JSON error body too (``ParserErrorBodyHandler``);
/// slow clients are dropped (``ClientDeadlineHandler``, and Hummingbird's idle timeout for
/// keep-alive), connections are capped (``ConnectionLimiter``). `metrics` (the metrics port,
/// when on) runs beside it and stops after it.
func buildApplication(_ services: GatewayServices, metrics: MetricsServer? = nil) -> some ApplicationProtocol {
    let edge = services.settings.edge
    let connections = services.connections
    let http = HTTP1Channel.Configuration(
        additionalChannelHandlers: [
            connections.handler(), ParserErrorBodyHandler(),
            ClientDeadlineHandler(header: .seconds(Int64(edge.headerTimeoutS)), body: .seconds(Int64(edge.bodyTimeoutS))),
        ],
        idleTimeout: .seconds(Int64(edge.keepaliveTimeoutS)))
    return Application(
        router: buildRouter(services),
        server: .http1(configuration: http),
        configuration: .init(address: .hostname(services.settings.gateway.host, port: services.settings.gateway.port), serverName: "ozh-gateway"),
        services: (metrics.map { [$0] } ?? []) + [services.eventSubscriber],
        onServerRunning: { channel in
            services.logger.info("ozh-gateway listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: services.logger
    )
}
