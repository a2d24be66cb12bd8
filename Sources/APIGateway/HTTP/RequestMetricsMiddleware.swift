import Hummingbird
import OzhObservability

/// Counts every request by method, route template and status, and times it by route
/// (`ozh_http_requests_total`, `ozh_http_request_duration_seconds`).
///
/// Added outermost, it sees the status the client gets, errors turned into JSON included. The
/// route is Hummingbird's matched template (`/users/{chat_id}`), never the raw path.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            HTTPMetrics.record(
                method: request.method.rawValue, route: context.endpointPath, status: Int(response.status.code),
                duration: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            HTTPMetrics.record(
                method: request.method.rawValue, route: context.endpointPath, status: Int(status),
                duration: ContinuousClock.now - started)
            throw error
        }
    }
}
