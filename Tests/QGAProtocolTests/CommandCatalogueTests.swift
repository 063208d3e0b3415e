import Foundation
import Testing

@testable import QGAProtocol

/// The command catalogue: every command of the reference once, what each does, which reply, and
/// agreement with what real agents say about themselves.
@Suite struct CommandCatalogueTests {
    @Test func everyCommandOfTheReferenceOnce() {
        #expect(AgentCommands.all.count == 44, "the reference's 43 and guest-get-load (10.0)")
        #expect(Set(AgentCommands.all.map(\.name)).count == AgentCommands.all.count)
        #expect(AgentCommands.all.allSatisfy { $0.name.hasPrefix("guest-") })
        #expect(AgentCommands.all.first?.name == "guest-sync-delimited")
        #expect(AgentCommands.all.last?.name == "guest-get-load")
        #expect(AgentCommands.named("guest-get-osinfo") == AnyAgentCommand(.getOSInfo))
        #expect(AgentCommands.named("guest-get-load") == AnyAgentCommand(.getLoad), "newer than the reference, collected")
    }

    /// What a test agent on the host blocks: the machine's power, freeze, trim, clock, accounts,
    /// keys, vCPUs and memory. Files and exec are not state-changing (the tests use them on their
    /// own files) and not read-only either (the control API does not allow them by default).
    @Test func effects() {
        #expect(Set(AgentCommands.names(.stateChanging)) == [
            "guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid",
            "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw", "guest-fstrim",
            "guest-set-time", "guest-set-user-password", "guest-set-vcpus", "guest-set-memory-blocks",
            "guest-ssh-add-authorized-keys", "guest-ssh-remove-authorized-keys",
        ])
        #expect(Set(AgentCommands.names(.filesAndPrograms)) == [
            "guest-file-open", "guest-file-close", "guest-file-read", "guest-file-write", "guest-file-seek",
            "guest-file-flush", "guest-exec", "guest-exec-status",
        ])
        #expect(AgentCommands.names(.readOnly).count == 22)
        #expect(AgentCommands.names(.readOnly).contains("guest-ssh-get-authorized-keys"))
        #expect(AgentCommands.names(.readOnly).allSatisfy { !$0.contains("-set-") })
        // In the reference's order, as `all`.
        #expect(AgentCommands.names(.stateChanging).first == "guest-set-time")
    }

    @Test func onlyShutdownAndSuspendNeverAnswer() {
        #expect(Set(AgentCommands.all.filter { !$0.answersOnSuccess }.map(\.name)) == [
            "guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid",
        ])
        #expect(!AgentCommand.shutdown.answersOnSuccess && AgentCommand.ping.answersOnSuccess)
        #expect(!AgentCommands.answersOnSuccess("guest-suspend-ram"))
        #expect(AgentCommands.answersOnSuccess("guest-get-load"), "unknown commands are expected to answer")
    }

    /// Every agent says for itself whether each command answers on success: the catalogue must
    /// agree with all of them (Linux 2.8 to 10.0, Windows).
    @Test(arguments: ["linux-centos7-qga-2.8.0", "linux-debian12-qga-7.2.22", "linux-debian12-qga-10.0.2",
                      "windows-qga-107.0.1-winapps"])
    func agreesWithWhatCapturedAgentsSay(_ agent: String) throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Corpus/\(agent)/guest-info.json")
        let info = try WireJSON.decode(GuestAgentInfo.self, from: Data(contentsOf: corpus))
        #expect(info.supportedCommands.count > 20)
        for listed in info.supportedCommands {
            guard let command = AgentCommands.named(listed.name), let answers = listed.successResponse else { continue }
            #expect(command.answersOnSuccess == answers, "\(agent): \(listed.name)")
        }
    }

    @Test func argumentsEncodeAsTheReferenceNamesThem() throws {
        func json(_ value: some Encodable) throws -> String { String(decoding: try WireJSON.encode(value), as: UTF8.self) }
        #expect(try json(ExecArguments(path: "/bin/sh", arguments: ["-c", "true"], input: Data("x".utf8), captureOutput: .flag(true)))
            == #"{"arg":["-c","true"],"capture-output":true,"input-data":"eA==","path":"/bin/sh"}"#)
        #expect(try json(FileWriteArguments(handle: 3, data: Data("hi".utf8))) == #"{"buf-b64":"aGk=","handle":3}"#)
        #expect(try json(SetMemoryBlocksArguments(memBlks: [])) == #"{"mem-blks":[]}"#)
        #expect(try json(ShutdownArguments()) == "{}", "absent, never null: the agent rejects null")
        #expect(try json(SetTimeArguments(time: nil)) == "{}")
        #expect(try json(ShutdownArguments(mode: .halt)) == #"{"mode":"halt"}"#)
    }
}
