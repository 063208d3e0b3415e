import Foundation
import Hummingbird
import QGAProtocol

/// `POST /api/v1/guests/{guest}/commands/{command}`: any agent command by name, the body being
/// its `arguments` object (or empty). Answers `{"return": ...}` as the agent gave it.
///
/// Freezes arm the freeze guard and thaws disarm it, however they arrive. Commands that never
/// reply on success (shutdown, suspend) answer 202 once sent without a refusal.
enum CommandRoute {
    @Sendable static func run(_ request: Request, _ context: ControlRequestContext, _ api: ControlAPI) async throws -> Response {
        let guest = try ControlRoutes.parameter("guest", context)
        let command = try ControlRoutes.parameter("command", context)
        context.note.update {
            $0.guest = guest
            $0.command = command
        }
        guard CommandPolicy.isCommandName(command) else {
            throw APIError(.badRequest, "\(command.debugDescription) is not a command name (guest-...)", kind: "bad_command")
        }
        let client = try api.authorize(context, guest: guest, command: command)
        let arguments = try await argumentsObject(request, api: api)
        let settings = api.settings

        if !AgentCommands.answersOnSuccess(command) {
            try await api.agentCall(context) { () throws(AgentError) in
                try await client.executeNoReply(command, arguments: arguments)
            }
            return JSONBody.response(["sent": true], status: .accepted)
        }
        let call = { () async throws(APIError) -> JSONValue in
            try await api.agentCall(context) { () throws(AgentError) in
                try await client.executeRaw(command, arguments: arguments, timeout: settings.commandTimeout)
            }
        }
        let result: JSONValue
        switch command {
        case AgentCommand.fsfreezeFreeze.name, AgentCommand.fsfreezeFreezeList.name:
            result = try await api.freezeGuard.guarding(guest, settings: settings, call).result
        case AgentCommand.fsfreezeThaw.name:
            result = try await call()
            api.freezeGuard.disarm(guest: guest)
        default:
            result = try await call()
        }
        return JSONBody.response(["return": result])
    }

    /// The body as an arguments object; empty means none. Anything but an object is a 400.
    static func argumentsObject(_ request: Request, api: ControlAPI) async throws(APIError) -> JSONValue? {
        let buffer = try await api.body(request, limit: api.settings.maxBodyBytes)
        let text = buffer.readableBytesView
        if text.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) { return nil }
        let value = try RequestJSON.parse(buffer) { problem in
            APIError(.badRequest, "the body must be a JSON object of the command's arguments: \(problem)", kind: "bad_arguments")
        }
        guard case .object = value else {
            throw APIError(.badRequest, "the body must be a JSON object of the command's arguments", kind: "bad_arguments")
        }
        return value
    }
}
