/// What one command of `AgentClient.executeSequence` got: its reply, or why it has none, and
/// when (on the caller's clock) the request went out and the reply came back.
public struct AgentReply: Sendable {
    public let command: String
    public let sentAt: Double
    public let receivedAt: Double
    let outcome: Result<ReceivedReply, AgentError>

    init(command: String, sentAt: Double, receivedAt: Double, outcome: Result<ReceivedReply, AgentError>) {
        self.command = command
        self.sentAt = sentAt
        self.receivedAt = receivedAt
        self.outcome = outcome.mapError { $0.with(command: command) }
    }

    /// Why the command has no reply: the channel failed (timeout, disconnect, garbage...; then
    /// it is the sequence's last reply), or, over libvirt, the agent refused it.
    public var failure: AgentError? {
        if case .failure(let error) = outcome { return error }
        return nil
    }

    /// The result as `R`; throws the channel's failure, the agent's error reply (unsupported,
    /// disabled, ...) or `decodingFailed`.
    public func decode<R: Decodable>(_ type: R.Type) throws(AgentError) -> R {
        try outcome.get().decodeResult(type, command: command)
    }
}

extension ReceivedReply {
    /// The `return` member as `R`, or the agent's error reply classified.
    func decodeResult<R: Decodable>(_ type: R.Type, command: String) throws(AgentError) -> R {
        if let error = header.error {
            throw AgentError.fromAgent(errorClass: error.errorClass, description: error.desc, command: command)
        }
        guard header.hasReturn else {
            throw AgentError(kind: .protocolViolation, message: "reply has neither 'return' nor 'error'", command: command)
        }
        do {
            return try WireJSON.decode(R.self, from: result)
        } catch {
            throw AgentError(
                kind: .decodingFailed,
                message: "reply does not decode as \(R.self): \(DecodingErrorText.describe(error))",
                command: command
            )
        }
    }
}

extension AgentReply {
    /// A reply as if the agent had answered `command` with `{"return": result}`: for replaying
    /// captured replies (conformance tests, the corpus) through the same decoding as a poll.
    public init(command: String, returning result: JSONValue, at time: Double = 0) {
        let line = JSONValue.object(["return": result])
        self.init(command: command, sentAt: time, receivedAt: time, outcome: .success(ReceivedReply(line: line)!))
    }
}
