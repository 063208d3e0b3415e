import Foundation
import Hummingbird
import Logging
import NIOCore

/// The outermost layer of the control API: turns every failure into a JSON error answer, and
/// writes one audit entry per request, whatever happened.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext
    let audit: AuditLog

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.errorResponse(error, request: request, context: context)
        }
        let elapsed = ContinuousClock.now - started
        let note = context.note.current
        audit.record(AuditEntry(
            time: AuditLog.timestamp(), principal: note.principal?.name ?? note.claimedUser ?? "-",
            auth: note.principal?.method.rawValue ?? "none", remote: context.remoteAddress,
            method: request.method.rawValue, path: request.uri.path, guest: note.guest, command: note.command,
            status: Int(response.status.code), outcome: AuditEntry.outcome(for: Int(response.status.code)),
            errorKind: note.errorKind,
            durationSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        return response
    }

    static func errorResponse(_ error: any Error, request: Request, context: Context) -> Response {
        let apiError: APIError
        switch error {
        case let error as APIError:
            apiError = error
        case is NIOTooManyBytesError:
            apiError = APIError(.contentTooLarge, "request body is larger than the limit")
        case let error as HTTPError where error.status == .notFound:
            // No route: say which methods the path has, if any (405), else 404.
            let methods = ControlRoutes.methods(forPath: request.uri.path)
            if methods.isEmpty {
                apiError = APIError(.notFound, "no such endpoint")
            } else {
                var notAllowed = APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here")
                notAllowed.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
                apiError = notAllowed
            }
        case let error as HTTPError:
            apiError = APIError(error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            apiError = APIError(error.status, error.status.reasonPhrase)
        default:
            context.logger.error("control API failure", metadata: ["error": "\(error)"])
            apiError = APIError(.internalServerError, "internal error")
        }
        if let kind = apiError.kind { context.note.update { $0.errorKind = $0.errorKind ?? kind } }
        return (try? apiError.response(from: request, context: context)) ?? Response(status: apiError.status)
    }
}
