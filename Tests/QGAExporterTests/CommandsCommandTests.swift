import Foundation
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// `qga_exporter commands`, and scripts/blocked-rpcs, which takes its list from it: the copy the
/// script keeps for use before a build must be the binary's list.
@Suite struct CommandsCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let stateChangingCSV = AgentCommands.names(.stateChanging).joined(separator: ",")

    @Test func formats() {
        let commands = [AnyAgentCommand(.ping), AnyAgentCommand(.shutdown)]
        #expect(CommandsCommand.render(commands, format: .csv) == "guest-ping,guest-shutdown\n")
        #expect(CommandsCommand.render(commands, format: .names) == "guest-ping\nguest-shutdown\n")
        #expect(CommandsCommand.render(commands, format: .table) == """
            COMMAND         EFFECT          REPLIES
            guest-ping      read-only       yes
            guest-shutdown  state-changing  no

            """)
    }

    @Test(.enabled(if: CLI.executable != nil, "qga_exporter is not built"))
    func binaryPrintsTheCatalogue() async throws {
        let binary = try #require(CLI.executable)
        let csv = try await Command.run(binary, ["commands", "--state-changing", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.text == Self.stateChangingCSV + "\n")
        let readOnly = try await Command.run(binary, ["commands", "--read-only", "--format", "names"])
        #expect(readOnly.text.split(separator: "\n").map(String.init) == AgentCommands.names(.readOnly))
        let table = try await Command.run(binary, ["commands"])
        #expect(table.text.split(separator: "\n").count == AgentCommands.all.count + 1)
        let both = try await Command.run(binary, ["commands", "--state-changing", "--read-only"])
        #expect(both.status != 0)
    }

    /// Sources the script as the scripts do and prints what it set.
    private func blockedRPCs(_ arguments: [String]) async throws -> Command.Result {
        let script = #". scripts/blocked-rpcs "$@"; printf %s "$QGA_BLOCKED_RPCS""#
        return try await Command.run("/bin/bash", ["-c", "cd \"$0\" && " + script, Self.repository.path] + arguments)
    }

    @Test func blockedRPCsCopyIsTheBinarysList() async throws {
        let copy = try await blockedRPCs([])
        #expect(copy.status == 0 && copy.stderr.isEmpty)
        #expect(copy.text == Self.stateChangingCSV, "scripts/blocked-rpcs: update the copy to `qga_exporter commands --state-changing --format csv`")
        // Not an executable file (a script's own argument passed through): the copy, silently.
        let notABinary = try await blockedRPCs([Self.repository.path])
        #expect(notABinary.text == Self.stateChangingCSV && notABinary.stderr.isEmpty)
    }

    @Test(.enabled(if: CLI.executable != nil, "qga_exporter is not built"))
    func blockedRPCsAsksTheBinary() async throws {
        let fromBinary = try await blockedRPCs([try #require(CLI.executable)])
        #expect(fromBinary.status == 0 && fromBinary.stderr.isEmpty)
        #expect(fromBinary.text == Self.stateChangingCSV)
        // A binary that cannot answer: a warning, and the copy.
        let broken = try await blockedRPCs(["/bin/false"])
        #expect(broken.text == Self.stateChangingCSV)
        #expect(broken.stderr.contains("did not list its state-changing commands"))
    }
}
