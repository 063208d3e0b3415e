import Foundation
import Hummingbird
import QGAProtocol

/// `POST /api/v1/guests/{guest}/set-time`: sets the guest clock from this host's clock (after a
/// resume or migration the guest's clock lags). Allowed by `guest-set-time`.
enum TimeRoute {
    @Sendable static func setFromHost(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let guest = try ControlRoutes.parameter("guest", context)
        let client = try api.authorize(context, guest: guest, command: AgentCommand.setTime.name)
        let timeout = api.settings.commandTimeout
        // Read the clock as late as possible: the call may have waited behind a poll.
        let nanoseconds = try await api.agentCall(context) { () throws(AgentError) -> Int64 in
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
            try await client.setTime(nanoseconds: now, timeout: timeout)
            return now
        }
        return JSONBody.response(["time_ns": .int(nanoseconds)])
    }
}
