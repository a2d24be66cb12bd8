import Hummingbird
import NIOCore
import Shared

/// `GET /metrics`: the gateway's Prometheus text, and the request metrics of every route.
///
/// Before rendering it refreshes the scrape-time gauges: queue depth per queue and state
/// (`ozh_queue_jobs`, `ozh_queue_workers`) and, when the gateway has Gemini keys, quota headroom
/// per project (`ozh_gemini_quota_remaining`, …), read without reserving anything.
///
/// `/metrics` needs no api-key, like `/health` (Prometheus sends none); keep it off the public
/// ingress. Register these routes FIRST in `buildRouter`: Hummingbird applies a middleware only
/// to routes added after it, so the request counter then wraps every route (and the error
/// middleware, so it counts the status clients get).
struct MetricsRoutes: Sendable {
    let services: GatewayServices

    func register(on router: Router<GatewayContext>) {
        router.add(middleware: RequestMetricsMiddleware())
        var collectors: [any MetricsCollector] = [QueueDepthCollector(queue: services.queue)]
        if let quota = services.quota.keyLimiter { collectors.append(QuotaCollector(limiter: quota)) }
        router.get("/metrics") { [collectors, logger = services.logger] _, _ in
            await MetricsCollection.collect(collectors, logger: logger)
            var headers = HTTPFields()
            headers[.contentType] = Observability.metricsContentType
            let text = ByteBuffer(bytes: Observability.renderMetrics())
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: text))
        }
    }
}
