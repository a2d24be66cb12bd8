import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route template of the router answers, filled once the routes are
/// registered (``load(_:)``), read by ``MethodNotAllowedMiddleware``.
final class RouteMethods: Sendable {
    private let table = Mutex<[(segments: [Substring], methods: [String])]>([])

    /// Records every route of `routes` (the router's own list).
    func load(_ routes: [Router<GatewayContext>.RouteDescription]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes { byPath[route.path.description, default: []].insert(route.method.rawValue) }
        let entries = byPath.map { (path, methods) in
            (segments: path.split(separator: "/"), methods: methods.sorted())
        }
        table.withLock { $0 = entries }
    }

    /// The methods of the template matching `path` (`{name}` and `*` match one segment), or
    /// nil when no route has this path.
    func methods(for path: String) -> [String]? {
        let segments = path.split(separator: "/")
        return table.withLock { table in
            table.first { entry in
                entry.segments.count == segments.count
                    && zip(entry.segments, segments).allSatisfy { template, segment in
                        template == segment || template.hasPrefix("{") || template == "*"
                    }
            }?.methods
        }
    }
}

/// A known path asked with a method it does not serve answers `405 method_not_allowed` with
/// `Allow` naming the methods it does serve (RFC 9110 §15.5.6), instead of Hummingbird's 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = routes.methods(for: request.uri.path), !methods.contains(request.method.rawValue) else { throw error }
            let allow = methods.joined(separator: ", ")
            throw APIError(
                .methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not supported here; use \(allow)",
                headers: [.allow: allow])
        }
    }
}
