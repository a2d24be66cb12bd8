import Hummingbird
import Logging

/// Unmatched routes and unexpected errors answer in Google's error shape too.
struct SandboxErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let status = error.status
            let name =
                status.code == 404 ? "NOT_FOUND" : status.code == 405 ? "METHOD_NOT_ALLOWED" : status.code < 500 ? "INVALID_ARGUMENT" : "INTERNAL"
            let message =
                status.code == 404 ? "The requested URL \(request.uri.path) was not found on this server." : (error.body ?? status.reasonPhrase)
            return GeminiError(code: Int(status.code), status: name, message: message).response
        } catch {
            context.logger.error("unexpected error", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return GeminiError.internalError.response
        }
    }
}
