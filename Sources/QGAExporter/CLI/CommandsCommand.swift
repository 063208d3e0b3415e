import ArgumentParser
import QGAProtocol

/// `qga_exporter commands`: the guest agent commands of the protocol reference, with what each
/// does to the guest, from the protocol's one catalogue (`AgentCommands`). Scripts take the list
/// of state-changing commands from here instead of keeping a copy (scripts/blocked-rpcs).
struct CommandsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "List the guest agent commands and what each does to the guest.",
        discussion: """
            A qemu-ga started on this host for a test or a demo acts on the host itself; start it \
            with every state-changing command blocked:
                -b "$(qga_exporter commands --state-changing --format csv)"
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// Aligned columns: command, effect, whether it answers on success.
        case table
        /// One name per line.
        case names
        /// The names on one line, comma-separated, as qemu-ga's `-b` takes them.
        case csv
    }

    @Flag(help: "Only the commands that change the machine (power, freeze, trim, clock, accounts, vCPUs, memory).")
    var stateChanging = false

    @Flag(help: "Only the read-only commands (what the control API allows by default).")
    var readOnly = false

    @Option(help: "names: one per line; csv: on one line, comma-separated, as qemu-ga -b takes them.")
    var format = Format.table

    func validate() throws {
        if stateChanging && readOnly { throw ValidationError("give --state-changing or --read-only, not both") }
    }

    func run() {
        let effect: CommandEffect? = stateChanging ? .stateChanging : readOnly ? .readOnly : nil
        print(Self.render(AgentCommands.all.filter { effect == nil || $0.effect == effect }, format: format), terminator: "")
    }

    static func render(_ commands: [AnyAgentCommand], format: Format) -> String {
        switch format {
        case .names:
            return commands.map { $0.name + "\n" }.joined()
        case .csv:
            return commands.map(\.name).joined(separator: ",") + "\n"
        case .table:
            let rows = [["COMMAND", "EFFECT", "REPLIES"]]
                + commands.map { [$0.name, $0.effect.rawValue, $0.answersOnSuccess ? "yes" : "no"] }
            let widths = (0..<2).map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                (0..<2).map { row[$0] + String(repeating: " ", count: widths[$0] + 2 - row[$0].count) }.joined() + row[2] + "\n"
            }.joined()
        }
    }
}
