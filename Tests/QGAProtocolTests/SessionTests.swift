import Foundation
import QGATestSupport
import Testing

@testable import QGAProtocol

/// How long the client holds the agent's one channel (`ConnectionMode`, `withSession`).
@Suite struct SessionTests {
    private static let clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    @Test func aSessionHoldsOneConnectionForItsCallsAndReleasesItAtTheEnd() async throws {
        try await withFakeAgent { (client, agent) async throws in
            try await client.withSession {
                _ = try? await client.call(.getTime)
                _ = try? await client.call(.ping)
                _ = await client.executeSequence(["guest-get-time", "guest-ping"], clock: Self.clock)
                #expect(client.isConnected, "held while the session runs")
            }
            #expect(!client.isConnected, "released when it ends")
            #expect(agent.connectionCount == 1)
            #expect(agent.commands == ["guest-sync-delimited", "guest-get-time", "guest-ping", "guest-get-time", "guest-ping"],
                    "synced once for the whole session")
        }
    }

    @Test func persistentModeKeepsTheConnectionBetweenCalls() async throws {
        try await withFakeAgent(options: .init(connection: .persistent)) { (client, agent) async throws in
            for _ in 0..<3 { try await client.call(.ping) }
            #expect(client.isConnected)
            #expect(agent.connectionCount == 1)
            #expect(agent.commands == ["guest-sync-delimited", "guest-ping", "guest-ping", "guest-ping"])
        }
    }

    /// The point of short sessions: another client gets the agent between ours. The fake agent
    /// serves one connection at a time, as QEMU's chardev and qemu-ga's listener do.
    @Test func anotherClientGetsTheAgentBetweenSessions() async throws {
        try await withFakeAgent { (client, agent) async throws in
            let other = AgentClient(address: .unix(path: agent.socketPath),
                                    options: .init(connectTimeout: .seconds(1), syncTimeout: .seconds(1), commandTimeout: .seconds(1)))
            for _ in 0..<5 {
                try await client.call(.ping)
                try await other.call(.ping)
            }
            await other.close()
            #expect(agent.connectionCount == 10)
        }
    }

    /// With a persistent neighbour the other client cannot get in at all: what short sessions fix.
    @Test func aPersistentClientLocksOthersOut() async throws {
        try await withFakeAgent(options: .init(connection: .persistent)) { (client, agent) async throws in
            try await client.call(.ping)
            let other = AgentClient(address: .unix(path: agent.socketPath),
                                    options: .init(connectTimeout: .milliseconds(300), syncTimeout: .milliseconds(300)))
            await expectFailure(.timeout) { try await other.call(.ping) }
            await other.close()
        }
    }

    @Test func aCheckpointEndsTheSequenceBeforeTheNextRequestGoesOut() async throws {
        let script: FakeAgent.Script = { request in
            request.command == "guest-fsfreeze-status" ? [.reply(json: "\"frozen\"")] : FakeAgent.standard(request)
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            let checkpoint = SequenceCheckpoint<String?>(index: 0) { $0 != "frozen" }
            let results = await client.executeSequence(["guest-fsfreeze-status", "guest-get-time", "guest-ping"],
                                                       clock: Self.clock, checkpoint: checkpoint) { _, reply in
                try? reply.decode(String.self)
            }
            #expect(results == ["frozen"])
            #expect(agent.commands == ["guest-sync-delimited", "guest-fsfreeze-status"], "nothing after the checkpoint was sent")
            #expect(!client.isConnected, "the session ended at once")
            // A checkpoint that lets the sequence go on changes nothing.
            let all = await client.executeSequence(["guest-fsfreeze-status", "guest-get-time"], clock: Self.clock,
                                                   checkpoint: SequenceCheckpoint<Bool>(index: 0) { _ in true }) { _, reply in
                reply.failure == nil
            }
            #expect(all == [true, true])
        }
    }

    /// A call queued behind a session waits for it to end, then gets a session of its own.
    @Test func aCallQueuesBehindASessionInProgress() async throws {
        let script = numbered { number, _ in
            number == 1 ? [.delay(.milliseconds(200)), .reply(json: "1")] : [.reply(json: "\(number)")]
        }
        try await withFakeAgent(script: script) { (client, agent) async throws in
            async let poll: [Int64?] = client.executeSequence(["guest-get-time", "guest-get-time"], clock: Self.clock) { _, reply in
                try? reply.decode(Int64.self)
            }
            try await Task.sleep(for: .milliseconds(50))
            let call = try await client.call(.getTime)
            #expect(await poll == [1, 2])
            #expect(call == 3)
            #expect(agent.requests.map(\.connection) == [1, 1, 1, 2, 2], "the call came after the poll's session, in its own")
        }
    }

    /// Closing the client (shutdown) ends a session that is waiting on the agent.
    @Test func closeEndsASessionInProgress() async throws {
        try await withFakeAgent(script: { request in
            request.command == "guest-get-time" ? [.delay(.seconds(30))] : FakeAgent.standard(request)
        }) { (client, _) async throws in
            let call = Task { try await client.call(.getTime, timeout: .seconds(20)) }
            for _ in 0..<100 where !client.isConnected { try await Task.sleep(for: .milliseconds(50)) }
            #expect(client.isConnected, "the call's session holds the connection")
            let started = ContinuousClock.now
            await client.close()
            let kind = await failureKind { _ = try await call.value }
            #expect(kind != nil)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(!client.isConnected)
        }
    }
}
