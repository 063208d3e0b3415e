// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// Information about one guest agent command.
public struct GuestAgentCommandInfo: Codable, Sendable, Hashable {
    /// Name of the command.
    public var name: String
    /// Whether the command is currently enabled by the guest admin (or usable at all).
    public var enabled: Bool
    /// Whether the command replies on success (since 1.7; absent on older agents).
    public var successResponse: Bool?

    enum CodingKeys: String, CodingKey {
        case name
        case enabled
        case successResponse = "success-response"
    }
}

/// Information about the guest agent: `guest-info`.
public struct GuestAgentInfo: Codable, Sendable, Hashable {
    /// Guest agent version.
    public var version: String
    /// Every command the agent knows, enabled or not.
    public var supportedCommands: [GuestAgentCommandInfo]

    enum CodingKeys: String, CodingKey {
        case version
        case supportedCommands = "supported_commands"
    }

    /// Names of the commands the agent will run now.
    public var enabledCommands: Set<String> {
        Set(supportedCommands.lazy.filter(\.enabled).map(\.name))
    }

    /// Whether `command` is known and enabled. Unknown to the agent means unsupported.
    public func supports(_ command: String) -> Bool {
        supportedCommands.contains { $0.name == command && $0.enabled }
    }

    /// Whether `command` is known to the agent, enabled or not.
    public func knows(_ command: String) -> Bool {
        supportedCommands.contains { $0.name == command }
    }
}
