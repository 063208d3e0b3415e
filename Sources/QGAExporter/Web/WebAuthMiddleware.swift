import Hummingbird

/// Basic auth for the metrics listener, as node_exporter does with `basic_auth_users` in the web
/// config: every path, 401 with a Basic challenge when credentials are missing or wrong.
struct WebAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        switch await authenticator.authenticate(authorization: request.headers[.authorization]) {
        case .authenticated:
            return try await next(request, context)
        case .denied:
            var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
            for challenge in authenticator.challenges { headers.append(.init(name: .wwwAuthenticate, value: challenge)) }
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: .init(string: "Unauthorized\n")))
        }
    }
}
