import Hummingbird
import Logging

/// Turns every error into the JSON error body; anything unexpected becomes a logged 500
/// whose body says nothing about internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            if let apiError = APIError.from(error) {
                if apiError.status.code >= 500 {
                    context.logger.warning("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(apiError.code)"])
                }
                return try apiError.response(from: request, context: context)
            }
            context.logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return try APIError(.internalServerError, "internal_error", "internal error; it was logged")
                .response(from: request, context: context)
        }
    }
}
