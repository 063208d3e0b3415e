import Foundation
import NIOCore
import QGATestSupport
import Testing

@testable import QGAProtocol

/// `executeSequence`: a poll's commands sent one after another on the event loop.
@Suite struct SequenceTests {
    private static let clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    @Test func everyCommandGetsItsOwnReplyInOrderOneAtATime() async throws {
        let script = numbered { number, _ in [.reply(json: "\(number)")] }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            let commands = ["guest-get-time", "guest-ping", "guest-get-time", "guest-info"]
            let replies = await client.executeSequence(commands, timeout: .seconds(5), clock: Self.clock)
            #expect(replies.map(\.command) == commands)
            #expect(try replies.map { try $0.decode(Int64.self) } == [1, 2, 3, 4])
            for (earlier, later) in zip(replies, replies.dropFirst()) {
                #expect(earlier.sentAt <= earlier.receivedAt)
                #expect(earlier.receivedAt <= later.sentAt, "the next request waits for the previous reply")
            }
            let again = await client.executeSequence(["guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(try again.first?.decode(Int64.self) == 5)
            let ids = agent.requests.filter { $0.command?.hasPrefix("guest-sync") == false }.compactMap(\.idJSON)
            #expect(ids.count == 5 && Set(ids).count == 5, "a fresh id on every request: \(ids)")
            #expect(agent.commands == ["guest-sync-delimited"] + commands + ["guest-sync-delimited", "guest-get-time"],
                    "one session per sequence: synced once each")
            #expect(agent.connectionCount == 2)
        }
    }

    @Test func anAgentErrorFailsOnlyItsOwnCommand() async throws {
        let script = numbered { number, _ in
            number == 2 ? [.error(class: "CommandNotFound", desc: "The command guest-get-cpustats has not been found")]
                : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            let replies = await client.executeSequence(
                ["guest-get-time", "guest-get-cpustats", "guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(replies.count == 3)
            #expect(try replies[0].decode(Int64.self) == 1)
            #expect(replies[1].failure == nil, "the reply came: the channel is fine")
            let error = await expectFailure(.unsupported) { try replies[1].decode([GuestCpuStats].self) }
            #expect(error?.command == "guest-get-cpustats")
            #expect(try replies[2].decode(Int64.self) == 3)
        }
    }

    @Test func aSilentCommandEndsTheSequenceAndALateReplyNeverAnswersTheNext() async throws {
        let script = numbered { number, _ in
            number == 2 ? [.delay(.milliseconds(2000)), .reply(json: "222")] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            // The deadline leaves the first command room on a loaded machine; the second is silent
            // for far longer.
            let replies = await client.executeSequence(
                ["guest-get-time", "guest-get-time", "guest-get-time"], timeout: .milliseconds(500), clock: Self.clock)
            #expect(replies.count == 2, "nothing is sent after a timeout")
            #expect(replies.last?.failure?.kind == .timeout)
            #expect(replies.last?.failure?.command == "guest-get-time")
            #expect(agent.commands == ["guest-sync-delimited", "guest-get-time", "guest-get-time"])
            // The agent is still busy with the silent one: the next sequence resyncs first and
            // gets its own reply, never the late "222".
            let next = await client.executeSequence(["guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(try next.first?.decode(Int64.self) == 3)
            #expect(agent.commands.filter { $0 == "guest-sync-delimited" }.count == 2)
        }
    }

    @Test func aDisconnectEndsTheSequenceAndTheNextOneReconnects() async throws {
        let script = numbered { number, _ in
            number == 2 ? [.raw(Array(#"{"return": 4"#.utf8)), .disconnect] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            let replies = await client.executeSequence(
                ["guest-get-time", "guest-get-time", "guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(replies.count == 2)
            #expect(replies.last?.failure?.kind == .disconnected)
            let next = await client.executeSequence(["guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(try next.first?.decode(Int64.self) == 3)
            #expect(agent.connectionCount == 2)
        }
    }

    @Test func garbageInASequenceIsSkipped() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.raw(Array("not json at all\n".utf8)), .reply(json: "1")] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, _) async throws in
            let replies = await client.executeSequence(["guest-get-time", "guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(try replies.map { try $0.decode(Int64.self) } == [1, 2])
        }
    }

    /// A line that ends like our reply lets the next request go out before the line is parsed;
    /// if the line then turns out to be garbage it is skipped, the call waits out its deadline,
    /// and the early request's reply never answers anything later.
    @Test func aReplyThatOnlyLooksRightIsSkippedAndItsEarlyFollowerNeverAnswersLater() async throws {
        let script = numbered { number, request in
            number == 1 ? [.raw(Array("{\"return\": not-json, \"id\": \(request.idJSON ?? "0")}\n".utf8))]
                : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            let replies = await client.executeSequence(["guest-get-time", "guest-get-time", "guest-get-time"],
                                                       timeout: .seconds(1), clock: Self.clock)
            #expect(replies.count == 1)
            #expect(replies.first?.failure?.kind == .timeout)
            let next = await client.executeSequence(["guest-get-time"], timeout: .seconds(5), clock: Self.clock)
            #expect(try next.first?.decode(Int64.self) == 3, "the early request's reply (2) is skipped by the resync")
            #expect(agent.commands == ["guest-sync-delimited", "guest-get-time", "guest-get-time", "guest-sync-delimited", "guest-get-time"],
                    "the second request went out early, the third never did, then a new session synced")
        }
    }

    @Test(arguments: [
        (#"{"return": 1, "id": 5}"#, true), (#"{"return":1,"id":5}"# + "\r\n", true), (#"{"id": 5}"#, true),
        (#"{"return": {"id": 5}}"#, false), (#"{"return": 1, "id": 55}"#, false), (#"{"return": 1, "id": 15}"#, false),
        (#"{"return": "\"id\": 5}"}"#, false), (#"{"return": 1, "xid": 5}"#, false), (#"5}"#, false),
    ])
    func endsWithIDLooksOnlyAtTheLastMember(line: String, expected: Bool) {
        #expect(ByteBuffer(string: line).endsWithID(5) == expected)
    }

    @Test func cancellingTheCallerEndsTheSequenceAtOnce() async throws {
        let script = numbered { _, _ in [] }  // silent after the sync
        try await withFakeAgent(script: script) { (client, agent) async throws in
            let task = Task { await client.executeSequence(["guest-get-time", "guest-ping"], timeout: .seconds(60), clock: Self.clock) }
            while !agent.commands.contains("guest-get-time") { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            let replies = await task.value
            #expect(replies.count == 1)
            #expect(replies.first?.failure?.kind == .timeout)
            #expect(replies.first?.failure?.message.contains("cancelled") == true)
        }
    }

    @Test func aMissingSocketIsTheOnlyReply() async throws {
        let client = AgentClient(address: .unix(path: "/nonexistent/qga-\(UUID().uuidString).sock"))
        let replies = await client.executeSequence(["guest-get-time", "guest-ping"], timeout: .seconds(5), clock: Self.clock)
        #expect(replies.count == 1)
        #expect(replies.first?.failure?.kind == .socketNotFound)
        #expect(replies.first?.command == "guest-get-time")
        await client.close()
    }
}

@Suite(.serialized, .enabled(if: RealAgent.isInstalled, "qemu-ga is not installed; scripts/install-test-deps installs it"))
struct RealAgentSequenceTests {
    /// A whole poll's commands against the real agent, each decoded as its descriptor says (as the collectors do).
    @Test func aPollsCommandsDecodeAsTheirTypes() async throws {
        try await withRealAgent { (client, _) async throws in
            let commands = [
                AnyAgentCommand(.getDiskStats), AnyAgentCommand(.getCPUStats), AnyAgentCommand(.networkGetInterfaces),
                AnyAgentCommand(.getFSInfo), AnyAgentCommand(.getUsers), AnyAgentCommand(.getOSInfo),
                AnyAgentCommand(.getHostName), AnyAgentCommand(.getTimezone), AnyAgentCommand(.getTime),
                AnyAgentCommand(.getVCPUs), AnyAgentCommand(.fsfreezeStatus),
            ].map(\.name)
            let before = Date().timeIntervalSince1970
            let replies = await client.executeSequence(commands, timeout: .seconds(10), clock: { Date().timeIntervalSince1970 })
            let after = Date().timeIntervalSince1970
            #expect(replies.map(\.command) == commands)
            #expect(try Set(replies[0].decode(.getDiskStats).map(\.name)).isSubset(of: Host.diskNames()))
            #expect(try replies[1].decode(.getCPUStats).count == Host.cpuCount())
            #expect(try replies[2].decode(.networkGetInterfaces).contains { $0.name == "lo" })
            #expect(try !replies[3].decode(.getFSInfo).isEmpty)
            _ = try replies[4].decode(.getUsers)
            #expect(try replies[5].decode(.getOSInfo).id == Host.osReleaseID())
            #expect(try replies[6].decode(.getHostName).hostName == Host.hostName())
            _ = try replies[7].decode(.getTimezone)
            let guestSeconds = Double(try replies[8].decode(.getTime)) / 1e9
            #expect(guestSeconds >= before - 1 && guestSeconds <= after + 1, "the agent runs on this host: same clock")
            #expect(replies[8].sentAt >= before && replies[8].receivedAt <= after)
            #expect(try replies[9].decode(.getVCPUs).count == Host.cpuCount())
            #expect(try replies[10].decode(.fsfreezeStatus) == .thawed)
        }
    }
}
