import Foundation
import Hummingbird
import Logging
import NIOCore

/// Checks credentials before anything else runs: 401 with the configured challenges when they
/// are missing or wrong.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext
    let authenticator: @Sendable () -> Authenticator

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let authenticator = authenticator()
        switch await authenticator.authenticate(authorization: request.headers[.authorization]) {
        case .authenticated(let principal):
            var context = context
            context.principal = principal
            context.note.update { $0.principal = principal }
            return try await next(request, context)
        case .denied(let reason, let claimed):
            context.note.update {
                $0.claimedUser = claimed
                $0.errorKind = "unauthorized"
            }
            var error = APIError(.unauthorized, reason)
            for challenge in authenticator.challenges { error.headers.append(.init(name: .wwwAuthenticate, value: challenge)) }
            throw error
        }
    }
}
