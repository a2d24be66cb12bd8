import Foundation
import Hummingbird
import Logging

/// The request context of every sandbox route.
typealias SandboxContext = BasicRequestContext

/// The sandbox's router: Google-shaped errors outermost, then the emulated API and the
/// `/_sandbox` control endpoints.
func buildSandboxRouter(gemini: GeminiState, yookassa: YooKassaState, logger: Logger) -> Router<SandboxContext> {
    let router = Router(context: SandboxContext.self)
    router.add(middleware: SandboxErrorMiddleware())
    GeminiRoutes(state: gemini, logger: logger).register(on: router)
    YooKassaRoutes(state: yookassa, logger: logger).register(on: router)
    YooKassaCheckout(state: yookassa).register(on: router)
    YooKassaControlRoutes(state: yookassa).register(on: router)
    ControlRoutes(gemini: gemini, yookassa: yookassa).register(on: router)
    return router
}

/// The whole sandbox as a Hummingbird application (a Service: SIGTERM drains it gracefully).
func buildSandbox(
    configuration: SandboxConfiguration,
    logger: Logger = Logger(label: "ozh-sandbox")
) -> some ApplicationProtocol {
    let gemini = GeminiState(configuration: configuration.gemini)
    let yookassa = YooKassaState(configuration: configuration.yookassa, logger: logger)
    return Application(
        router: buildSandboxRouter(gemini: gemini, yookassa: yookassa, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ozh-sandbox"),
        onServerRunning: { channel in
            await yookassa.serverRunning(port: channel.localAddress?.port)
            logger.info(
                "ozh-sandbox listening",
                metadata: [
                    "address": "\(channel.localAddress.map { "\($0)" } ?? "?")",
                    "rpm": "\(configuration.gemini.requestsPerMinute)", "rpd": "\(configuration.gemini.requestsPerDay)",
                    "keys": "\(configuration.gemini.keys.map { "\($0.count) registered" } ?? "any")",
                ])
        },
        logger: logger
    )
}
