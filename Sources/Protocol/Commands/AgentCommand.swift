/// One command of the guest agent protocol: its name, the types of its arguments and of its
/// reply, and what running it does to the guest. The one place a command is described; the
/// client (`AgentClient.call`), the exporter's collectors and control API, and the list of
/// commands a test agent blocks all take it from here.
///
/// The protocol's commands are static members (`AgentCommand.getOSInfo`, `.fileRead`, ...), so
/// a call reads `client.call(.getOSInfo)` and the reply type follows from the command.
public struct AgentCommand<Arguments: Encodable & Sendable, Result: Decodable & Sendable>: Sendable {
    public let name: String
    public let effect: CommandEffect

    /// For a command this library does not describe (e.g. `guest-get-load`), with types of your own.
    public init(_ name: String, _ effect: CommandEffect) {
        self.name = name
        self.effect = effect
    }

    /// False for the commands that never reply on success (`guest-shutdown`, `guest-suspend-*`):
    /// their reply type is `NoReply`, so the type and the flag cannot disagree.
    public var answersOnSuccess: Bool { Result.self != NoReply.self }
}

/// What running a command does to the guest, which decides who may run it where.
public enum CommandEffect: String, Sendable, Hashable, CaseIterable {
    /// Only observes the guest. The control API lets every principal run these by default.
    case readOnly = "read-only"
    /// Opens, reads and writes files or runs programs, as the caller asks: as strong as its
    /// arguments, so not for everyone, but a test agent on the host may run them on the tests'
    /// own files and harmless programs.
    case filesAndPrograms = "files-and-programs"
    /// Changes the machine itself whatever the arguments: power, filesystem freeze and trim,
    /// clock, passwords and SSH keys, vCPUs, memory blocks. A qemu-ga started on the host for a
    /// test or a demo blocks all of these (`qga_exporter commands --state-changing`).
    case stateChanging = "state-changing"
}

/// The arguments of a command that takes none: the request carries no `arguments` member.
public struct NoArguments: Encodable, Sendable, Hashable {
    public init() {}
}

/// The "reply" of a command that never answers on success: the client sends it and returns once
/// no refusal came back (`AgentClientOptions.noReplyGrace`).
public struct NoReply: Decodable, Sendable, Hashable {
    public init() {}
}

/// A command without its types, for lists of commands (`AgentCommands.all`).
public struct AnyAgentCommand: Sendable, Hashable {
    public let name: String
    public let effect: CommandEffect
    public let answersOnSuccess: Bool

    public init<Arguments, Result>(_ command: AgentCommand<Arguments, Result>) {
        name = command.name
        effect = command.effect
        answersOnSuccess = command.answersOnSuccess
    }
}
