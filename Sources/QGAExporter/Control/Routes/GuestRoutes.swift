import Hummingbird
import QGAProtocol

/// `GET /api/v1/guests` and `GET /api/v1/guests/{guest}`: what the poller knows of each guest.
/// Any authenticated caller may list guests; it runs no agent command.
enum GuestRoutes {
    @Sendable static func list(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        _ = try context.caller
        let reports = api.exporter.store.reports()
        return JSONBody.response(["guests": .array(reports.map { describe($0, api: api) })])
    }

    @Sendable static func show(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        _ = try context.caller
        let name = try ControlRoutes.parameter("guest", context)
        context.note.update { $0.guest = name }
        guard let report = api.exporter.store.report(named: name) else {
            throw APIError(.notFound, "unknown guest \(name.debugDescription)", kind: "unknown_guest")
        }
        return JSONBody.response(describe(report, api: api))
    }

    static func describe(_ report: GuestReport, api: ControlAPI) -> JSONValue {
        var members = JSONObject([
            "name": .string(report.name),
            "address": .string(report.address),
            "source": .string(report.source),
            "state": .string(report.state.rawValue),
            "enabled_commands": .array(report.enabledCommands.sorted().map(JSONValue.string)),
        ])
        if let version = report.agentVersion { members["agent_version"] = .string(version) }
        if let error = report.lastError { members["last_error"] = .string(error) }
        if let kind = report.errorKind { members["error_kind"] = .string(kind) }
        if let time = report.lastPollUnixTime { members["last_poll_time"] = .double(time) }
        if let deadline = api.freezeGuard.deadline(for: report.name) {
            members["auto_thaw_at"] = .string(AuditLog.timestamp(deadline))
        }
        return .object(members)
    }
}
