/// Sorts libvirt's errors into the client's `AgentError` kinds, so metrics, logs and the control
/// endpoint read the same whichever transport a guest uses.
///
/// libvirt turns the agent's `{"error": {"class", "desc"}}` into VIR_ERR_INTERNAL_ERROR
/// "unable to execute QEMU agent command 'X': DESC" and drops the class, so the class is
/// inferred back from the wording (qemu-ga: "The command X has not been found").
enum LibvirtErrorMapper {
    /// `virErrorNumber` values used below (virterror.h; stable since the versions named).
    enum Code {
        static let internalError: Int32 = 1
        static let noSupport: Int32 = 3
        static let noConnect: Int32 = 5
        static let invalidConnection: Int32 = 6
        static let invalidDomain: Int32 = 7
        static let operationDenied: Int32 = 29  // read-only connection
        static let systemError: Int32 = 38
        static let rpc: Int32 = 39
        static let noDomain: Int32 = 42
        static let authFailed: Int32 = 45
        static let operationInvalid: Int32 = 55  // "domain is not running"
        static let operationTimeout: Int32 = 68  // domain job lock not acquired in time
        static let argumentUnsupported: Int32 = 74  // "QEMU guest agent is not configured"
        static let authCancelled: Int32 = 79
        static let operationUnsupported: Int32 = 84
        static let agentUnresponsive: Int32 = 86  // not connected, not responding, timed out
        static let accessDenied: Int32 = 88  // ACL / polkit
        static let authUnavailable: Int32 = 94
        static let agentUnsynced: Int32 = 97
    }

    static func map(_ error: LibvirtCallError, command: String? = nil) -> AgentError {
        let text = error.message
        switch error.code {
        case Code.agentUnresponsive where text.contains("disappeared"):
            // "Guest agent disappeared while executing command": the guest shut down or QEMU quit.
            return AgentError(kind: .disconnected, message: text, command: command)
        case Code.agentUnresponsive, Code.agentUnsynced, Code.operationTimeout:
            // "Guest agent is not responding: QEMU guest agent is not connected" while the guest
            // boots or its agent is stopped; "...: Guest agent not available for now" on timeout.
            return AgentError(kind: .timeout, message: text, command: command)
        case Code.noDomain, Code.invalidDomain:
            return AgentError(kind: .socketNotFound, message: text, command: command)
        case Code.operationInvalid where text.contains("not running"):
            return AgentError(kind: .connectionRefused, message: text, command: command)
        case Code.argumentUnsupported where text.contains("agent is not configured"):
            return AgentError(kind: .connectFailed, message: "\(text): the domain has no org.qemu.guest_agent.0 channel",
                              command: command)
        case Code.operationDenied, Code.accessDenied, Code.authFailed, Code.authCancelled, Code.authUnavailable:
            var message = text
            if error.code == Code.operationDenied, text.contains("read only") || text.contains("read-only") {
                message += " (virDomainQemuAgentCommand needs a read-write connection)"
            }
            return AgentError(kind: .permissionDenied, message: message, command: command)
        case Code.noConnect, Code.invalidConnection, Code.systemError, Code.rpc:
            return connectionError(text, command: command)
        case Code.noSupport, Code.operationUnsupported:
            return AgentError(kind: .unsupported, message: text, command: command)
        case Code.internalError:
            if let (desc, agentCommand) = agentFailure(text) {
                return AgentError.fromAgent(errorClass: inferredClass(desc, command: agentCommand), description: desc,
                                            command: command ?? agentCommand)
            }
            if text.contains("End of file from agent socket") {
                // The agent's channel closed under the command (guest-shutdown, QEMU quitting).
                return AgentError(kind: .disconnected, message: text, command: command)
            }
            if text.contains("cannot parse json") {
                return AgentError(kind: .invalidArguments, message: text, command: command)
            }
            return AgentError(kind: .agentError, message: text, command: command)
        default:
            return AgentError(kind: .agentError, message: text, command: command)
        }
    }

    /// A failure to reach libvirtd at all: say which, as the socket transport does.
    static func connectionError(_ text: String, command: String? = nil) -> AgentError {
        let kind: AgentError.Kind
        if text.contains("Permission denied") || text.contains("authentication") {
            kind = .permissionDenied
        } else if text.contains("No such file or directory") {
            kind = .socketNotFound
        } else if text.contains("Connection refused") {
            kind = .connectionRefused
        } else if text.contains("End of file") || text.contains("client socket is closed")
            || text.contains("Connection reset") || text.contains("Broken pipe")
        {
            kind = .disconnected
        } else {
            kind = .connectFailed
        }
        return AgentError(kind: kind, message: text, command: command)
    }

    /// "... unable to execute QEMU agent command 'guest-x': DESC" -> (DESC, "guest-x").
    static func agentFailure(_ text: String) -> (desc: String, command: String)? {
        let marker = "unable to execute QEMU agent command '"
        guard let start = text.firstRange(of: marker) else { return nil }
        let rest = text[start.upperBound...]
        guard let quote = rest.firstIndex(of: "'") else { return nil }
        let command = String(rest[..<quote])
        var desc = rest[rest.index(after: quote)...]
        if desc.hasPrefix(":") { desc = desc.dropFirst() }
        while desc.first == " " { desc = desc.dropFirst() }
        return (String(desc), command)
    }

    /// The agent's error class, which libvirt does not pass on. qemu-ga 7.2 says "The command X
    /// has not been found" for CommandNotFound; other "has not been found" texts (file handles,
    /// exec pids) are GenericError.
    static func inferredClass(_ desc: String, command: String) -> String {
        if desc.hasPrefix("The command "), desc.hasSuffix("has not been found") { return "CommandNotFound" }
        return "GenericError"
    }
}
