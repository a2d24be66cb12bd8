import Prometheus
import Synchronization

/// Requests the gateway answered: `ozh_http_requests_total{method, route, status}` and
/// `ozh_http_request_duration_seconds{method, route}`.
///
/// Labels stay bounded: `route` is the route *template* (`/users/{chat_id}`), never the raw
/// path; a request that matched no route is `unmatched`; an unusual method is `OTHER`.
public enum HTTPMetrics {
    /// The `route` of a request that matched no route.
    public static let unmatchedRoute = "unmatched"

    static let requests = CounterFamily(
        "ozh_http_requests_total", "HTTP requests answered, by method, route template and status code.",
        labels: ["method", "route", "status"])
    static let duration = DurationHistogramFamily(
        "ozh_http_request_duration_seconds", "Time from request to response, by method and route template.",
        labels: ["method", "route"],
        buckets: [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ])

    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// Records one answered request. `route` is the matched route template (nil or the
    /// router's `NotFound` marker when nothing matched).
    public static func record(method: String, route: String?, status: Int, duration elapsed: Duration) {
        let series = series(method: methodLabel(method), route: routeLabel(route), status: status)
        series.requests.increment()
        series.duration.record(elapsed)
    }

    private struct SeriesKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    /// The counter and histogram of one (method, route, status), looked up in the Prometheus
    /// registry once: the registry's lookup (names, label arrays, its lock) was a visible share
    /// of a `GET /jobs/{id}`. Bounded like the labels: methods × route templates × statuses.
    private static let known = Mutex<[SeriesKey: (requests: Counter, duration: DurationHistogram)]>([:])

    private static func series(method: String, route: String, status: Int) -> (requests: Counter, duration: DurationHistogram) {
        let key = SeriesKey(method: method, route: route, status: status)
        if let found = known.withLock({ $0[key] }) { return found }
        let made = (requests: requests.with(method, route, String(status)), duration: duration.with(method, route))
        known.withLock { $0[key] = made }
        return made
    }

    /// `GET`, `POST`, … as is; anything else (an extension method) is `OTHER`.
    public static func methodLabel(_ method: String) -> String {
        knownMethods.contains(method) ? method : "OTHER"
    }

    /// The route template, or ``unmatchedRoute`` when no route matched.
    public static func routeLabel(_ route: String?) -> String {
        guard let route, route.hasPrefix("/") else { return unmatchedRoute }
        return route
    }
}
