import Foundation
import Hummingbird
import QGAProtocol

/// `/api/v1/guests/{guest}/fsfreeze`: status, freeze (guarded by the automatic thaw) and thaw,
/// for backups that need consistent guest filesystems.
enum FreezeRoutes {
    struct FreezeBody: RequestBody {
        static let keys: Set<String> = ["mountpoints"]

        /// Freeze only these (guest-fsfreeze-freeze-list); all when absent.
        var mountpoints: [String]?
    }

    /// The route's guest and its answer to `command`, which takes no arguments.
    private static func call<Result: Sendable>(
        _ command: AgentCommand<NoArguments, Result>, _ context: ControlRequestContext, _ api: ControlAPI
    ) async throws -> (guest: String, result: Result) {
        let guest = try ControlRoutes.parameter("guest", context)
        let client = try api.authorize(context, guest: guest, command: command.name)
        let timeout = api.settings.commandTimeout
        let result = try await api.agentCall(context) { () throws(AgentError) in try await client.call(command, timeout: timeout) }
        return (guest, result)
    }

    @Sendable static func status(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let (guest, status) = try await call(.fsfreezeStatus, context, api)
        var members = JSONObject(["status": .string(status.rawValue)])
        if let deadline = api.freezeGuard.deadline(for: guest) { members["auto_thaw_at"] = .string(AuditLog.timestamp(deadline)) }
        return JSONBody.response(.object(members))
    }

    @Sendable static func freeze(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let guest = try ControlRoutes.parameter("guest", context)
        let body = try await api.decodeBody(request, as: FreezeBody.self, empty: FreezeBody())
        let command = body.mountpoints == nil ? AgentCommand.fsfreezeFreeze.name : AgentCommand.fsfreezeFreezeList.name
        let client = try api.authorize(context, guest: guest, command: command)
        let settings = api.settings
        let (count, thawAt) = try await api.freezeGuard.guarding(guest, settings: settings) { () async throws(APIError) in
            try await api.agentCall(context) { () throws(AgentError) in
                if let mountpoints = body.mountpoints {
                    return try await client.fsfreezeFreezeList(mountpoints: mountpoints, timeout: settings.commandTimeout)
                }
                return try await client.fsfreezeFreeze(timeout: settings.commandTimeout)
            }
        }
        return JSONBody.response([
            "frozen": .int(Int64(count)),
            "auto_thaw_at": .string(AuditLog.timestamp(thawAt)),
            "auto_thaw_seconds": .double(Double(settings.freezeAutoThaw.components.seconds)),
        ])
    }

    @Sendable static func thaw(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let (guest, count) = try await call(.fsfreezeThaw, context, api)
        api.freezeGuard.disarm(guest: guest)
        return JSONBody.response(["thawed": .int(Int64(count))])
    }
}
