// Reading replies and capabilities by command descriptor.

extension AgentReply {
    /// The result of `command`, typed as it says; throws as `decode(_:)`.
    public func decode<Arguments, Result>(_ command: AgentCommand<Arguments, Result>) throws(AgentError) -> Result {
        try decode(Result.self)
    }
}

extension GuestAgentInfo {
    /// Whether `command` is known and enabled.
    public func supports<Arguments, Result>(_ command: AgentCommand<Arguments, Result>) -> Bool {
        supports(command.name)
    }

    /// Whether `command` is known to the agent, enabled or not.
    public func knows<Arguments, Result>(_ command: AgentCommand<Arguments, Result>) -> Bool {
        knows(command.name)
    }
}
