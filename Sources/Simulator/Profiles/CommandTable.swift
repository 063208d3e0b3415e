/// One agent's commands: what its `guest-info` lists, in order, and how its dispatcher treats
/// each. Anything not listed is unknown to that agent ("The command X has not been found").
struct CommandTable: Sendable {
    /// In `guest-info` order, with whether each answers on success.
    let commands: [(name: String, successResponse: Bool)]
    let names: Set<String>
    /// Listed, but disabled by the agent itself whatever the configuration (`enabled: false`).
    let disabled: Set<String>
    /// Listed and enabled, but the agent only has a stub answering "not currently supported".
    let unsupported: Set<String>

    init(_ commands: [(name: String, successResponse: Bool)], disabled: Set<String> = [], unsupported: Set<String> = []) {
        self.commands = commands
        self.names = Set(commands.map(\.name))
        self.disabled = disabled
        self.unsupported = unsupported
    }

    /// Commands that never answer on success.
    static let noReply: Set<String> = ["guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid"]

    /// Names in `guest-info` order, each answering unless it is one of `noReply`.
    init(names: [String], disabled: Set<String> = [], unsupported: Set<String> = []) {
        self.init(names.map { ($0, !Self.noReply.contains($0)) }, disabled: disabled, unsupported: unsupported)
    }
}
