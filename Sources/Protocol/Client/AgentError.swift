/// Everything that can go wrong talking to a guest agent, sorted into a few stable kinds.
public struct AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable raw values: used as metric, log and API labels.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case socketNotFound, connectionRefused, permissionDenied, connectTimeout, connectFailed
        /// No reply within the deadline (including the sync): agent silent, booting or busy.
        case timeout
        /// EOF or reset mid-call.
        case disconnected
        /// CommandNotFound / "not currently supported".
        case unsupported
        /// Disabled by policy (`-b`, "has been disabled").
        case disabled
        /// Refused because the guest's filesystems are frozen.
        case frozen
        /// Any other `{"error": ...}`; `agentClass` and `message` keep the agent's words.
        case agentError
        /// Garbage, bad JSON, a reply of the wrong shape.
        case protocolViolation
        case replyTooLarge
        /// A valid reply that does not decode into the typed result.
        case decodingFailed
        /// The caller's arguments could not be encoded.
        case invalidArguments
        /// The client was closed.
        case closed
    }

    public var kind: Kind
    /// Human text; includes the agent's `desc` when there is one.
    public var message: String
    /// The agent's error class, e.g. "CommandNotFound", "GenericError".
    public var agentClass: String?
    /// The command that failed, when the failure belongs to one.
    public var command: String?

    public init(kind: Kind, message: String, agentClass: String? = nil, command: String? = nil) {
        self.kind = kind
        self.message = message
        self.agentClass = agentClass
        self.command = command
    }

    public var description: String {
        var text = command.map { "\($0): " } ?? ""
        text += "\(kind.rawValue): \(message)"
        if let agentClass { text += " [\(agentClass)]" }
        return text
    }

    /// Whether the channel failed rather than the command: no reply in time, the connection
    /// broke or carried garbage. The agent is single-threaded, so once one command fails this way
    /// every later one would wait out its own deadline too; a sequence stops there.
    public var isTransportFailure: Bool {
        switch kind {
        case .timeout, .disconnected, .socketNotFound, .connectionRefused, .permissionDenied, .connectTimeout,
             .connectFailed, .protocolViolation, .replyTooLarge, .closed:
            return true
        case .unsupported, .disabled, .frozen, .agentError, .decodingFailed, .invalidArguments:
            return false
        }
    }

    func with(command: String) -> AgentError {
        var copy = self
        if copy.command == nil { copy.command = command }
        return copy
    }
}

extension AgentError {
    /// Classifies an agent's `{"error": {"class": ..., "desc": ...}}`.
    ///
    /// Wordings differ by version (DESIGN.md 3.6): qemu-ga 7.2 with `-b` says "Command X has been
    /// disabled"; newer agents add ": the command is not allowed" or ": the agent is in frozen
    /// state"; older ones send GenericError "... has been disabled for this instance" or "this
    /// feature or command is not currently supported". Unknown commands are CommandNotFound
    /// "The command X has not been found".
    public static func fromAgent(errorClass: String, description desc: String, command: String?) -> AgentError {
        let lowered = desc.lowercased()
        let kind: Kind
        if lowered.contains("frozen state") {
            kind = .frozen
        } else if lowered.contains("has been disabled") {
            kind = .disabled
        } else if errorClass == "CommandNotFound" || errorClass == "Unsupported"
            || lowered.contains("not currently supported")
        {
            kind = .unsupported
        } else {
            kind = .agentError
        }
        return AgentError(kind: kind, message: desc, agentClass: errorClass, command: command)
    }
}
