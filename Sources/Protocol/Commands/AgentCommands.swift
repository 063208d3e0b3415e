/// Every command of the protocol reference (qemu-ga-ref 9.2), in its order, without their types:
/// what lists and checks of commands are made from.
public enum AgentCommands {
    public static let all: [AnyAgentCommand] = [
        AnyAgentCommand(.syncDelimited), AnyAgentCommand(.sync), AnyAgentCommand(.ping),
        AnyAgentCommand(.getTime), AnyAgentCommand(.setTime), AnyAgentCommand(.info), AnyAgentCommand(.shutdown),
        AnyAgentCommand(.fileOpen), AnyAgentCommand(.fileClose), AnyAgentCommand(.fileRead),
        AnyAgentCommand(.fileWrite), AnyAgentCommand(.fileSeek), AnyAgentCommand(.fileFlush),
        AnyAgentCommand(.fsfreezeStatus), AnyAgentCommand(.fsfreezeFreeze), AnyAgentCommand(.fsfreezeFreezeList),
        AnyAgentCommand(.fsfreezeThaw), AnyAgentCommand(.fstrim),
        AnyAgentCommand(.suspendDisk), AnyAgentCommand(.suspendRam), AnyAgentCommand(.suspendHybrid),
        AnyAgentCommand(.networkGetInterfaces), AnyAgentCommand(.getVCPUs), AnyAgentCommand(.setVCPUs),
        AnyAgentCommand(.getDisks), AnyAgentCommand(.getFSInfo), AnyAgentCommand(.setUserPassword),
        AnyAgentCommand(.getMemoryBlocks), AnyAgentCommand(.setMemoryBlocks), AnyAgentCommand(.getMemoryBlockInfo),
        AnyAgentCommand(.execStatus), AnyAgentCommand(.exec),
        AnyAgentCommand(.getHostName), AnyAgentCommand(.getUsers), AnyAgentCommand(.getTimezone),
        AnyAgentCommand(.getOSInfo), AnyAgentCommand(.getDevices),
        AnyAgentCommand(.sshGetAuthorizedKeys), AnyAgentCommand(.sshAddAuthorizedKeys),
        AnyAgentCommand(.sshRemoveAuthorizedKeys),
        AnyAgentCommand(.getDiskStats), AnyAgentCommand(.getCPUStats), AnyAgentCommand(.networkGetRoute),
        // Newer than the reference (qemu-ga 9.2):
        AnyAgentCommand(.getLoad),
    ]

    private static let byName: [String: AnyAgentCommand] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The command called `name`, or nil for one the reference does not have (newer agents add
    /// commands, e.g. `guest-get-load`).
    public static func named(_ name: String) -> AnyAgentCommand? {
        byName[name]
    }

    /// The names of the commands with `effect`, in the reference's order.
    public static func names(_ effect: CommandEffect) -> [String] {
        all.filter { $0.effect == effect }.map(\.name)
    }

    /// Whether `name` is a command that never answers on success. Unknown commands are expected
    /// to answer.
    public static func answersOnSuccess(_ name: String) -> Bool {
        named(name)?.answersOnSuccess ?? true
    }
}
