import Hummingbird
import NIOCore
import Logging
import Shared

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

/// Builds the gateway's router: request metrics outermost (and `/metrics`), then errors as JSON,
/// then the api-key check, then routes.
func buildRouter(_ services: GatewayServices) -> Router<GatewayContext> {
    let router = Router(context: GatewayContext.self)
    MetricsRoutes(services: services).register(on: router)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: APIKeyMiddleware(keys: services.settings.apiKeys))
    HealthRoutes(services: services).register(on: router)
    OpenAPIRoutes().register(on: router)
    UsersRoutes(services: services).register(on: router)
    JobsRoutes(services: services).register(on: router)
    GenerateRoutes(services: services).register(on: router)
    PaymentsRoutes(services: services).register(on: router)
    WebhookRoutes(services: services).register(on: router)
    return router
}

/// The whole gateway as a Hummingbird application (a Service: SIGTERM drains it gracefully).
/// Requests the HTTP parser refuses get the JSON error body too (``ParserErrorBodyHandler``).
func buildApplication(_ services: GatewayServices) -> some ApplicationProtocol {
    Application(
        router: buildRouter(services),
        server: .http1(configuration: .init(additionalChannelHandlers: [ParserErrorBodyHandler()])),
        configuration: .init(address: .hostname(services.settings.host, port: services.settings.port), serverName: "ozh-gateway"),
        services: [services.eventSubscriber],
        onServerRunning: { channel in
            services.logger.info("ozh-gateway listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: services.logger
    )
}
