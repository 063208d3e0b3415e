import Foundation
import NIOCore
import QGATestSupport
import Testing

@testable import QGAProtocol

/// Runs `body` with a client connected to a fake agent that follows `script`.
func withFakeAgent<T>(
    options: AgentClientOptions = .init(),
    answersDelimiter: Bool = true,
    transport: FakeAgent.Transport = .unix,
    script: @escaping FakeAgent.Script = FakeAgent.standard,
    _ body: (AgentClient, FakeAgent) async throws -> T
) async throws -> T {
    // virtio-serial's way: what a client left unread reaches the next one (DESIGN.md 3).
    let agent = try await FakeAgent.start(transport: transport, answersDelimiter: answersDelimiter,
                                          keepsUndeliveredOutput: true, script: script)
    let client = AgentClient(address: try AgentAddress(parsing: agent.address), options: options)
    return try await agent.use { agent in try await client.use { try await body($0, agent) } }
}

/// A script that answers each command by its running number (1-based, sync requests not
/// counted) and otherwise like the standard agent.
func numbered(_ answer: @escaping @Sendable (_ number: Int, FakeAgent.Request) -> [FakeAgent.Action])
    -> FakeAgent.Script
{
    let counter = Counter()
    return { request in
        guard let command = request.command, !command.hasPrefix("guest-sync") else { return FakeAgent.standard(request) }
        return answer(counter.next(), request)
    }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int { lock.withLock { value += 1; return value } }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct FaultInjectionTests {
    @Test func silentAfterConnectFailsTheSyncWithinItsBudget() async throws {
        try await withFakeAgent(
            options: .init(syncTimeout: .milliseconds(200)), answersDelimiter: false, script: { _ in [] }
        ) { (client, agent) async throws in
            let error = await expectFailure(.timeout) { try await client.call(.ping) }
            #expect(error?.message.contains("guest-sync-delimited") == true)
            #expect(error?.command == "guest-ping")
            // The command itself was never sent on an unsynced channel.
            #expect(agent.commands == ["guest-sync-delimited"])
            #expect(!client.isConnected, "the failed session released the socket for other clients")
        }
    }

    /// Short sessions: the late reply reaches the next session's connection (virtio-serial keeps
    /// it), ahead of the sync that skips it. Persistent: it lands on the same connection.
    @Test(arguments: ConnectionMode.allCases)
    func lateReplyIsNeverReturnedToTheNextCall(mode: ConnectionMode) async throws {
        let script = numbered { number, _ in
            number == 1 ? [.delay(.milliseconds(400)), .reply(json: "111")] : [.reply(json: "222")]
        }
        try await withFakeAgent(options: .init(commandTimeout: .milliseconds(100), connection: mode), script: script) { (client, agent) async throws in
            await expectFailure(.timeout) { try await client.call(.getTime) }
            // The agent is still busy with the first request when the next call starts.
            // Calls expected to succeed get a generous deadline: the short one is for the first
            // call only, and a loaded machine must not turn the rest into timeouts.
            #expect(try await client.call(.getTime, timeout: .seconds(5)) == 222)
            #expect(try await client.call(.getTime, timeout: .seconds(5)) == 222)
            let syncs = agent.commands.filter { $0 == "guest-sync-delimited" }.count
            switch mode {
            case .short: #expect(syncs == 3 && agent.connectionCount == 3, "every call is a session: connect, sync, call, close")
            case .persistent: #expect(syncs == 2 && agent.connectionCount == 1, "resynced once after the timeout")
            }
        }
    }

    @Test func lateReplyArrivingWhileIdleIsDropped() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.delay(.milliseconds(150)), .reply(json: "111")] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(options: .init(commandTimeout: .milliseconds(50)), script: script) { (client, _) async throws in
            await expectFailure(.timeout) { try await client.call(.getTime) }
            try await Task.sleep(for: .milliseconds(300))  // the stale reply lands with nobody waiting
            #expect(try await client.call(.getTime, timeout: .seconds(5)) == 2)
        }
    }

    @Test func garbageLineIsSkippedAndTheCallGetsItsReply() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.raw(bytes("this is not json\n")), .reply(json: "{\"id\": \"debian\"}")] : [.reply(json: "{}")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            #expect(try await client.call(.getOSInfo).id == "debian")
            #expect(agent.commands == ["guest-sync-delimited", "guest-get-osinfo"])
        }
    }

    @Test func garbageInsteadOfTheReplyTimesOutAndTheNextCallIsClean() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.raw(bytes("{\"return\": 111}\n")), .raw(bytes("garbage\n"))] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(options: .init(commandTimeout: .milliseconds(200)), script: script) { (client, _) async throws in
            // Neither an id-less reply nor noise is taken for the answer.
            await expectFailure(.timeout) { try await client.call(.getTime) }
            #expect(try await client.call(.getTime, timeout: .seconds(5)) == 2)
        }
    }

    @Test func partialJSONIsFlushedByTheSentinel() async throws {
        // Half a reply, then silence: the call times out; the resync's 0xFF discards the half.
        let script = numbered { number, _ in
            number == 1 ? [.raw(bytes("{\"return\": {\"half"))] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(options: .init(commandTimeout: .milliseconds(100)), script: script) { (client, _) async throws in
            await expectFailure(.timeout) { try await client.call(.getTime) }
            #expect(try await client.call(.getTime, timeout: .seconds(5)) == 2)
        }
    }

    @Test func replyOverTheSizeCapDropsTheConnection() async throws {
        let huge = "\"" + String(repeating: "x", count: 8192) + "\""
        let script = numbered { number, _ in
            number == 1 ? [.reply(json: "{\"pretty-name\": \(huge)}")] : [.reply(json: "{\"id\": \"debian\"}")]
        }
        try await withFakeAgent(options: .init(maxReplyBytes: 1024), script: script) { (client, agent) async throws in
            let error = await expectFailure(.replyTooLarge) { try await client.call(.getOSInfo) }
            #expect(error?.message.contains("1024") == true)
            let os = try await client.call(.getOSInfo)
            #expect(os.id == "debian")
            #expect(agent.connectionCount == 2, "reconnected after dropping the connection")
        }
    }

    @Test func disconnectMidReplyIsDistinctAndTheNextCallReconnects() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.raw(bytes("{\"return\": {\"ho")), .disconnect] : [.reply(json: "{\"host-name\": \"vm1\"}")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            await expectFailure(.disconnected) { try await client.call(.getHostName) }
            #expect(try await client.call(.getHostName).hostName == "vm1")
            #expect(agent.connectionCount == 2)
        }
    }

    @Test func strayFFBytesDoNotDisturbReplies() async throws {
        let script = numbered { number, request in
            let id = request.idJSON ?? "null"
            switch number {
            case 1: return [.raw([0xFF, 0xFF]), .reply(json: "1")]
            case 2: return [.raw(bytes("{\"return\": 99") + [0xFF] + bytes("{\"return\": 2, \"id\": \(id)}\n"))]
            default: return [.reply(json: "\(number)"), .raw([0xFF])]
            }
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            #expect(try await client.call(.getTime) == 1)
            #expect(try await client.call(.getTime) == 2)
            #expect(try await client.call(.getTime) == 3)
            #expect(try await client.call(.getTime) == 4)
        }
    }

    @Test func replyWithForeignOrMissingIdIsDropped() async throws {
        let script = numbered { number, _ in
            [
                .raw(bytes("{\"return\": 666, \"id\": 31337}\n")),
                .raw(bytes("{\"return\": 667}\n")),
                .raw(bytes("{\"error\": {\"class\": \"GenericError\", \"desc\": \"stale\"}, \"id\": \"x\"}\n")),
                .reply(json: "\(number)"),
            ]
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            #expect(try await client.call(.getTime) == 1)
            #expect(try await client.call(.getTime) == 2)
        }
    }

    @Test func twoConcurrentCallersEachGetTheirOwnAnswer() async throws {
        // The agent takes its time, so the second caller has to wait its turn.
        let script: FakeAgent.Script = { request in
            if request.command == "guest-sync", let id = request.syncID {
                return [.delay(.milliseconds(id % 2 == 0 ? 30 : 5)), .reply(json: "\(id)")]
            }
            return FakeAgent.standard(request)
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            async let first = client.call(.sync, SyncArguments(id: 1000))
            async let second = client.call(.sync, SyncArguments(id: 2001))
            let (a, b) = try await (first, second)
            #expect(a == 1000)
            #expect(b == 2001)
            #expect(agent.connectionCount == 2, "one session each, one after the other")
        }
    }

    @Test func manyConcurrentCallersAreServedInTurn() async throws {
        try await withFakeAgent { (client, _) async throws in
            try await withThrowingTaskGroup(of: (Int64, Int64).self) { group in
                for id in Int64(1)...40 {
                    group.addTask { (id, try await client.call(.sync, SyncArguments(id: id))) }
                }
                for try await (sent, received) in group {
                    #expect(sent == received)
                }
            }
        }
    }

    @Test func wrongShapedReplyIsAProtocolViolation() async throws {
        let script = numbered { number, request in
            number == 1 ? [.raw(bytes("{\"id\": \(request.idJSON ?? "0"), \"result\": 1}\n"))] : [.reply(json: "7")]
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            await expectFailure(.protocolViolation) { try await client.call(.getTime) }
            #expect(try await client.call(.getTime) == 7)
        }
    }

    @Test func replyOfTheWrongTypeIsADecodingFailure() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.reply(json: "\"soon\"")] : [.reply(json: "5")]
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            let error = await expectFailure(.decodingFailed) { try await client.call(.getTime) }
            #expect(error?.message.contains("Int64") == true)
            #expect(try await client.call(.getTime) == 5)
        }
    }

    @Test func agentErrorsAreClassified() async throws {
        let script: FakeAgent.Script = { request in
            switch request.command {
            case "guest-get-fsinfo":
                return [.error(class: "CommandNotFound", desc: "Command guest-get-fsinfo has been disabled: the agent is in frozen state")]
            case "guest-exec":
                return [.error(class: "GenericError", desc: "The command guest-exec has been disabled for this instance")]
            case "guest-file-open":
                return [.error(class: "GenericError", desc: "failed to open file '/x' (mode: 'r'): No such file or directory")]
            default:
                return FakeAgent.standard(request)
            }
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            await expectFailure(.frozen) { try await client.call(.getFSInfo) }
            await expectFailure(.disabled) { try await client.exec(path: "/bin/true") }
            let error = await expectFailure(.agentError) { try await client.fileOpen(path: "/x") }
            #expect(error?.message.contains("No such file") == true)
            #expect(error?.agentClass == "GenericError")
            await expectFailure(.unsupported) { try await client.call(.getDevices) }
        }
    }

    @Test func noReplyCommandsAreSentWithoutWaitingForAReply() async throws {
        // Success is silence (or the guest going away); a refusal still comes back as an error.
        let script: FakeAgent.Script = { request in
            switch request.command {
            case "guest-shutdown": return []
            case "guest-suspend-ram": return [.disconnect]
            case "guest-suspend-disk": return [.error(class: "CommandNotFound", desc: "Command guest-suspend-disk has been disabled")]
            default: return FakeAgent.standard(request)
            }
        }
        try await withFakeAgent(options: .init(noReplyGrace: .seconds(1)), script: script) { (client, agent) async throws in
            try await client.call(.shutdown, ShutdownArguments(mode: .reboot))
            let shutdown = try #require(agent.requests.first { $0.command == "guest-shutdown" })
            #expect(shutdown.argument("mode") as? String == "reboot")
            try await client.call(.suspendRam)
            await expectFailure(.disabled) { try await client.call(.suspendDisk) }
            try await client.call(.ping)
        }
    }

    @Test func stateChangingCommandsSendTheReferenceArguments() async throws {
        // Only against the fake: these would act on this machine.
        let script: FakeAgent.Script = { request in
            switch request.command {
            case "guest-set-time", "guest-set-user-password", "guest-ssh-add-authorized-keys",
                "guest-ssh-remove-authorized-keys":
                return [.reply(json: "{}")]
            case "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw": return [.reply(json: "2")]
            case "guest-fstrim": return [.reply(json: #"{"paths": [{"path": "/", "trimmed": 4096, "minimum": 0}]}"#)]
            case "guest-set-vcpus": return [.reply(json: "1")]
            case "guest-set-memory-blocks":
                return [.reply(json: #"[{"phys-index": 7, "response": "operation-failed", "error-code": 16}]"#)]
            default: return FakeAgent.standard(request)
            }
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            try await client.setTime(nanoseconds: 1_700_000_000_000_000_000)
            let key = "ssh-ed25519 AAAA alice"
            try await client.call(.setUserPassword, SetUserPasswordArguments(username: "alice", password: "s3cret", crypted: false))
            try await client.call(.sshAddAuthorizedKeys, SSHAddAuthorizedKeysArguments(username: "alice", keys: [key], reset: true))
            try await client.call(.sshRemoveAuthorizedKeys, SSHRemoveAuthorizedKeysArguments(username: "alice", keys: [key]))
            #expect(try await client.fsfreezeFreeze() == 2)
            #expect(try await client.fsfreezeFreezeList(mountpoints: ["/", "/home"]) == 2)
            #expect(try await client.fsfreezeThaw() == 2)
            #expect(try await client.call(.fstrim, FstrimArguments(minimum: 65536)).paths.first?.trimmed == 4096)
            let vcpus = SetVCPUsArguments(vcpus: [GuestLogicalProcessor(logicalId: 1, online: false)])
            #expect(try await client.call(.setVCPUs, vcpus) == 1)
            let blocks = try await client.call(
                .setMemoryBlocks, SetMemoryBlocksArguments(memBlks: [GuestMemoryBlock(physIndex: 7, online: false)]))
            #expect(blocks == [GuestMemoryBlockResponse(physIndex: 7, response: .operationFailed, errorCode: 16)])

            func arguments(of command: String) -> String? {
                agent.requests.first { $0.command == command }?.argumentsJSON
            }
            #expect(agent.requests.first { $0.command == "guest-set-time" }?.argument("time") as? Int64 == 1_700_000_000_000_000_000)
            #expect(agent.requests.first { $0.command == "guest-set-user-password" }?.argument("password") as? String == "czNjcmV0")
            #expect(agent.requests.first { $0.command == "guest-set-user-password" }?.argument("crypted") as? Bool == false)
            #expect(agent.requests.first { $0.command == "guest-ssh-add-authorized-keys" }?.argument("reset") as? Bool == true)
            #expect(agent.requests.first { $0.command == "guest-fsfreeze-freeze-list" }?.argument("mountpoints") as? [String] == ["/", "/home"])
            #expect(agent.requests.first { $0.command == "guest-fstrim" }?.argument("minimum") as? Int == 65536)
            #expect(arguments(of: "guest-set-vcpus")?.contains("\"logical-id\":1") == true)
            #expect(arguments(of: "guest-set-memory-blocks")?.contains("\"phys-index\":7") == true)
            #expect(arguments(of: "guest-fsfreeze-freeze") == nil, "no arguments member when there are none")
        }
    }

    @Test func closeFailsTheCallInFlightAndLaterCalls() async throws {
        try await withFakeAgent(script: { request in
            request.command == "guest-ping" ? [] : FakeAgent.standard(request)
        }) { (client, _) async throws in
            let pending = Task { try await client.call(.ping, timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(100))
            await client.close()
            await expectFailure(.closed) { try await pending.value }
            await expectFailure(.closed) { try await client.call(.getTime) }
            #expect(!client.isConnected)
        }
    }

    @Test func cancelledCallLeavesTheClientUsable() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.delay(.milliseconds(300)), .reply(json: "1")] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            let slow = Task { try await client.call(.getTime, timeout: .seconds(30)) }
            // Cancel only once the request is out (a fixed sleep raced with a loaded machine).
            for _ in 0..<500 where !agent.commands.contains("guest-get-time") {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(agent.commands.contains("guest-get-time"))
            slow.cancel()
            await expectFailure(.timeout) { try await slow.value }
            #expect(try await client.call(.getTime) == 2)
        }
    }

    @Test func tcpTransportWorks() async throws {
        try await withFakeAgent(transport: .tcp) { (client, agent) async throws in
            #expect(agent.address.hasPrefix("tcp:127.0.0.1:"))
            try await client.call(.ping)
            #expect(try await client.info().enabledCommands == ["guest-ping"])
        }
    }
}
