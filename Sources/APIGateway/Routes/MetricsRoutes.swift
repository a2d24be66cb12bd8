import Hummingbird
import OzhDomain
import OzhObservability
import OzhQueue

/// The gateway's metrics: request counters on the public router, and the scrape-time
/// collectors served by its own metrics port (`METRICS_HOST`:`METRICS_PORT`, like the
/// workers'), never on the public one.
///
/// The collectors refresh queue depth per queue and state (`ozh_queue_jobs`, `ozh_queue_workers`)
/// and, when the gateway has Gemini keys, quota headroom per project (`ozh_gemini_quota_remaining`,
/// …), read without reserving anything.
///
/// Register these routes FIRST in `buildRouter`: Hummingbird applies a middleware only to
/// routes added after it, so the request counter then wraps every route (and the error
/// middleware, so it counts the status clients get).
struct MetricsRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.add(middleware: RequestMetricsMiddleware())
    }

    /// What the metrics port refreshes before each scrape.
    static func collectors(_ services: GatewayServices) -> [any MetricsCollector] {
        var collectors: [any MetricsCollector] = [QueueDepthCollector(queue: services.queue)]
        if let quota = services.quota.keyLimiter { collectors.append(QuotaCollector(limiter: quota)) }
        return collectors
    }
}
