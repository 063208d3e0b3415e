/// One simulated qemu-ga: turns the bytes a client sends into the lines the real agent would
/// send back, and keeps the guest's state (freeze, files, processes, keys, clock).
///
/// Not thread-safe by design: each guest lives on one event loop, as the real agent is one
/// thread, and everything here runs on it.
final class GuestAgent {
    /// What one complete request (or one syntax error) produced.
    struct Response {
        enum Outcome: Equatable {
            case success
            case failure(AgentError)
            /// A command that answers nothing on success (`guest-shutdown`, `guest-suspend-*`).
            case noReply
        }

        enum Effect: Equatable {
            case none
            /// The guest powers off: close the connection and remove the socket.
            case shutdown
            /// The agent is away for this many seconds; the connection closes when `closes`.
            case away(seconds: Double, closes: Bool)
        }

        /// The bytes to send, ending with `\n` (and led by 0xFF for `guest-sync-delimited`).
        var line: [UInt8]?
        var command: String?
        var id: JSONValue?
        var outcome: Outcome
        var effect: Effect = .none
    }

    let profile: GuestProfile
    let configuration: GuestConfiguration
    /// The host clock, seconds since the epoch.
    let now: @Sendable () -> Double
    var isFrozen: Bool
    /// How far the guest clock is ahead of the host's (seconds).
    var clockOffset: Double
    var files: FileTable
    var processes: ProcessTable
    var authorizedKeys: [String: [String]] = [:]
    /// When the Windows agent began sampling the load (its first `guest-get-load`).
    var loadSamplingStart: Double?
    /// The parser survives reconnects, as in qemu-ga: a half-sent request swallows the next
    /// client's first one unless that client leads with 0xFF.
    var framer = RequestFramer()

    init(profile: GuestProfile, configuration: GuestConfiguration, frozen: Bool, clockOffset: Double,
         now: @escaping @Sendable () -> Double) {
        self.profile = profile
        self.configuration = configuration
        self.now = now
        self.isFrozen = frozen
        self.clockOffset = clockOffset
        self.files = FileTable(contents: [
            "/etc/hostname": Array("\(profile.hostName)\n".utf8),
            "/etc/os-release": Array(
                "PRETTY_NAME=\"\(profile.os.prettyName)\"\nNAME=\"\(profile.os.name)\"\nVERSION_ID=\"\(profile.os.versionID)\"\nID=\(profile.os.id)\n".utf8),
        ])
        self.processes = ProcessTable(firstPID: 2000 + Int64(profile.index % 1000) * 10)
    }

    /// Feeds received bytes; returns one response per complete request or syntax error.
    func receive(_ bytes: some Sequence<UInt8>) -> [Response] {
        var framed: [RequestFramer.Output] = []
        framer.feed(bytes, into: &framed)
        return framed.map { output in
            switch output {
            case .error(let message): return Self.failure(.parse(message), command: nil, id: nil)
            case .text(let text): return handle(text: text)
            }
        }
    }

    func handle(text: [UInt8]) -> Response {
        let value: JSONValue
        do {
            value = try AgentJSONParser.parse(text)
        } catch {
            return Self.failure(.parse(error.message), command: nil, id: nil)
        }
        guard case .object(let request) = value else {
            return Self.failure(.generic("QMP input must be a JSON object"), command: nil, id: nil)
        }
        let id = request["id"]
        var command: String?
        var arguments: JSONObject?
        let keys = request.keys
        for index in QDictOrder.wireOrder(of: keys) {
            let key = keys[index]
            let member = request.members[index].value
            switch key {
            case "execute":
                guard case .string(let name) = member else {
                    return Self.failure(.generic("QMP input member 'execute' must be a string"), command: nil, id: id)
                }
                command = name
            case "arguments":
                guard case .object(let object) = member else {
                    return Self.failure(
                        .generic("QMP input member 'arguments' must be an object"), command: nil, id: id)
                }
                arguments = object
            case "id":
                break
            default:
                return Self.failure(.generic("QMP input member '\(key)' is unexpected"), command: nil, id: id)
            }
        }
        guard let command else {
            return Self.failure(.generic("QMP input lacks member 'execute'"), command: nil, id: id)
        }
        if let refusal = refusal(of: command) { return Self.failure(refusal, command: command, id: id) }
        var reader = CommandArguments(arguments)
        do {
            switch try run(command, &reader) {
            case .value(let result):
                var line = command == "guest-sync-delimited" ? [UInt8(0xFF)] : []
                line += Self.encodeLine(.object(["return": result, "id": id]))
                return Response(line: line, command: command, id: id, outcome: .success)
            case .noReply(let effect):
                return Response(line: nil, command: command, id: id, outcome: .noReply, effect: effect)
            }
        } catch {
            return Self.failure(error, command: command, id: id)
        }
    }

    /// Why a command may not run now, if it may not: unknown to this agent, blocked, or frozen
    /// out, in the wording of the agent's era.
    func refusal(of command: String) -> AgentError? {
        guard profile.agent.commands.names.contains(command) else { return .commandNotFound(command) }
        let blocked = isBlocked(command)
        let frozenOut = isFrozen && !CommandCatalogue.allowedWhileFrozen.contains(command)
        guard blocked || frozenOut else { return nil }
        switch profile.agent.refusalStyle {
        case .legacy: return .commandDisabledLegacy(command)
        case .reasoned: return blocked ? .commandDisabled(command) : .commandDisabled(command, reason: AgentError.frozenReason)
        case .filtered: return .commandDisabled(command, reason: AgentError.notAllowedReason)
        }
    }

    func isBlocked(_ command: String) -> Bool {
        profile.agent.commands.disabled.contains(command) || configuration.blockedCommands.contains(command)
    }

    enum CommandResult {
        case value(JSONValue)
        case noReply(Response.Effect)
    }

    static func failure(_ error: AgentError, command: String?, id: JSONValue?) -> Response {
        Response(
            line: encodeLine(.object(["error": error.json, "id": id])), command: command, id: id,
            outcome: .failure(error))
    }

    static func encodeLine(_ value: JSONValue) -> [UInt8] {
        var line = AgentJSONEncoder.encode(value)
        line.append(0x0A)
        return line
    }
}
