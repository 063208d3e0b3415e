import QGAProtocol

/// Which agent commands each principal may run. A principal the config does not list gets the
/// read-only commands; `read-only` and `*` stand for groups in a list.
struct CommandPolicy: Sendable, Equatable {
    static let readOnlyGroup = "read-only"
    static let everything = "*"

    /// The sync commands belong to the client: it leads every connection with them, and a
    /// caller's `guest-sync-delimited` would put a stray 0xFF into the shared stream.
    static let reserved: Set<String> = [AgentCommand.sync.name, AgentCommand.syncDelimited.name]

    /// What a principal may run without being listed: the commands the protocol's catalogue
    /// marks read-only (they only observe the guest).
    static let readOnly: Set<String> = Set(AgentCommands.names(.readOnly)).subtracting(reserved)

    var allow: [String: [String]] = [:]

    func allows(_ principal: String, _ command: String) -> Bool {
        guard !Self.reserved.contains(command) else { return false }
        guard let entries = allow[principal] else { return Self.readOnly.contains(command) }
        for entry in entries {
            switch entry {
            case Self.everything: return true
            case Self.readOnlyGroup where Self.readOnly.contains(command): return true
            case command: return true
            default: continue
            }
        }
        return false
    }

    /// Entries are `*`, `read-only` or command names; a name that looks like a command but is
    /// not in the reference is accepted (newer agents add commands), anything else is a typo.
    static func checkEntries(_ entries: [String]) throws(ConfigProblem) {
        for entry in entries where entry != everything && entry != readOnlyGroup {
            guard isCommandName(entry) else {
                throw ConfigProblem("\(entry.debugDescription) is not a command name (guest-...), \"read-only\" or \"*\"")
            }
            if reserved.contains(entry) {
                throw ConfigProblem("\(entry) is run by the exporter itself and cannot be allowed")
            }
        }
    }

    /// `guest-` followed by lower-case letters, digits and dashes.
    static func isCommandName(_ text: String) -> Bool {
        guard text.hasPrefix("guest-"), text.count > "guest-".count, text.count <= 64 else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
