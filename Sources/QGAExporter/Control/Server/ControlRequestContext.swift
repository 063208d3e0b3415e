import Hummingbird
import NIOCore
import Synchronization

/// Per-request state of the control API: who called (set by `AuthMiddleware`), and a note the
/// handlers fill in (guest, command) that `AuditMiddleware` writes to the audit log.
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var principal: Principal?
    let remoteAddress: String
    let note = AuditNote()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = Self.describe(source.channel.remoteAddress)
    }

    /// The principal `AuthMiddleware` set; routes only run behind it.
    var caller: Principal {
        get throws(APIError) {
            guard let principal else { throw APIError(.unauthorized, "authentication required") }
            return principal
        }
    }

    private static func describe(_ address: SocketAddress?) -> String {
        switch address {
        case .v4, .v6: address?.ipAddress.map { "\($0):\(address?.port ?? 0)" } ?? "-"
        case .unixDomainSocket: "unix"
        default: "-"
        }
    }
}
