import Foundation
import Hummingbird

/// Every route of the control API, in one table: registered from it, listed in the OpenAPI
/// document (a test compares the two), and used to answer 405 with the methods a path has.
enum ControlRoutes {
    static let prefix = "/api/v1"

    struct Route: Sendable {
        let method: HTTPRequest.Method
        /// OpenAPI syntax: `/api/v1/guests/{guest}`.
        let path: String
        let handler: @Sendable (Request, ControlRequestContext, ControlAPI) async throws -> Response
    }

    static let all: [Route] = [
        Route(method: .get, path: "\(prefix)/guests", handler: GuestRoutes.list),
        Route(method: .get, path: "\(prefix)/guests/{guest}", handler: GuestRoutes.show),
        Route(method: .post, path: "\(prefix)/guests/{guest}/commands/{command}", handler: CommandRoute.run),
        Route(method: .post, path: "\(prefix)/guests/{guest}/exec", handler: ExecRoute.run),
        Route(method: .get, path: "\(prefix)/guests/{guest}/file", handler: FileRoutes.read),
        Route(method: .put, path: "\(prefix)/guests/{guest}/file", handler: FileRoutes.write),
        Route(method: .get, path: "\(prefix)/guests/{guest}/fsfreeze", handler: FreezeRoutes.status),
        Route(method: .post, path: "\(prefix)/guests/{guest}/fsfreeze/freeze", handler: FreezeRoutes.freeze),
        Route(method: .post, path: "\(prefix)/guests/{guest}/fsfreeze/thaw", handler: FreezeRoutes.thaw),
        Route(method: .post, path: "\(prefix)/guests/{guest}/set-time", handler: TimeRoute.setFromHost),
        Route(method: .get, path: "\(prefix)/openapi.yaml", handler: { _, _, _ in OpenAPIDocument.response() }),
    ]

    /// A router for the control listener: audit outermost, then authentication, then the routes.
    static func router(api: ControlAPI) -> Router<ControlRequestContext> {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: AuditMiddleware(audit: api.audit))
        router.add(middleware: AuthMiddleware(authenticator: { api.authenticator }))
        for route in all {
            router.on(RouterPath(hummingbirdPath(route.path)), method: route.method) { request, context in
                try await route.handler(request, context, api)
            }
        }
        return router
    }

    /// `{name}` placeholders as Hummingbird spells them (`:name`).
    static func hummingbirdPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }

    /// The methods routes have for a concrete path (empty when no route matches it). Empty
    /// segments are skipped, as the router skips them (`/api/v1/guests/` is `/api/v1/guests`).
    static func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return all.filter { route in
            let pattern = route.path.split(separator: "/")
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { expected, given in
                expected.hasPrefix("{") ? !given.isEmpty : expected == given
            }
        }.map(\.method)
    }

    /// A path parameter the router matched.
    static func parameter(_ name: String, _ context: ControlRequestContext) throws(APIError) -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else {
            throw APIError(.badRequest, "missing \(name)")
        }
        return value.removingPercentEncoding ?? value
    }
}
