import Foundation
import Testing
@testable import QGASimulator

/// Each fault mode, forced on guest 1 with probability 1, is visible to a client.
@Suite(.serialized)
struct FaultModeTests {
    private func withFaultyGuest(
        _ modes: Set<FaultMode>, configure: (inout SimulatedFleet.Configuration) -> Void = { _ in },
        _ body: (RawAgentClient, SimulatedFleet) async throws -> Void
    ) async throws {
        try await withFleet(guests: 2, configure: {
            $0.faults = FaultSpec(explicit: [1: modes])
            $0.faultSettings.probability = 1
            configure(&$0)
        }) { fleet in
            #expect(fleet.faults(ofGuest: 1) == modes)
            #expect(fleet.faults(ofGuest: 2).isEmpty)
            try await body(try RawAgentClient(path: fleet.socketPath(ofGuest: 1)), fleet)
        }
    }

    private func isJSON(_ line: [UInt8]) -> Bool {
        (try? AgentJSONParser.parse(line)) != nil
    }

    @Test func silentGuestAcceptsButNeverAnswers() async throws {
        try await withFaultyGuest([.silent]) { client, _ in
            try client.send([0xFF] + Array(#"{"execute":"guest-sync-delimited","arguments":{"id":1}}"#.utf8))
            #expect(client.readLine(timeout: 1) == nil)
            #expect(!client.sawEOF)
        }
    }

    @Test func slowGuestAnswersOnlyAfterItsDelay() async throws {
        try await withFaultyGuest([.slow], configure: { $0.faultSettings.slowDelay = 1.5 }) { client, _ in
            try client.send(#"{"execute":"guest-ping","id":1}{"execute":"guest-ping","id":2}"#)
            #expect(client.readLine(timeout: 0.3) == nil)
            #expect(client.readLineText(timeout: 10) == #"{"return": {}, "id": 1}"#)
            #expect(client.readLineText(timeout: 10) == #"{"return": {}, "id": 2}"#)
        }
    }

    @Test func garbageGuestSendsANonJSONLineBeforeTheReply() async throws {
        try await withFaultyGuest([.garbage]) { client, _ in
            try client.send(#"{"execute":"guest-ping","id":1}"#)
            let junk = try #require(client.readLine())
            #expect(!isJSON(junk) && !junk.contains(0xFF))
            #expect(client.readLineText() == #"{"return": {}, "id": 1}"#)
        }
    }

    @Test func staleGuestSendsAnEarlierReplyFirst() async throws {
        try await withFaultyGuest([.stale]) { client, _ in
            try client.send(#"{"execute":"guest-ping","id":1}"#)
            let foreign = try #require(client.readLineText())
            #expect(foreign.hasPrefix(#"{"return": {}, "id": "stale-"#))
            #expect(client.readLineText() == #"{"return": {}, "id": 1}"#)
            try client.send(#"{"execute":"guest-sync","arguments":{"id":2},"id":2}"#)
            #expect(client.readLineText() == #"{"return": {}, "id": 1}"#, "the previous reply, replayed")
            #expect(client.readLineText() == #"{"return": 2, "id": 2}"#)
        }
    }

    @Test func disconnectingGuestCutsAReplyInHalf() async throws {
        try await withFaultyGuest([.disconnect]) { client, fleet in
            try client.send(#"{"execute":"guest-get-osinfo","id":1}"#)
            let partial = client.readAll(timeout: 5)
            #expect(client.sawEOF)
            #expect(!partial.isEmpty && !partial.contains(0x0A) && !isJSON(partial))
            // The guest takes the next client.
            let next = try RawAgentClient(path: fleet.socketPath(ofGuest: 1))
            try next.send(#"{"execute":"guest-ping"}"#)
            #expect(next.readAll(timeout: 5).count > 0)
        }
    }

    @Test func oversizeGuestSendsALineBeyondSixteenMebibytes() async throws {
        try await withFaultyGuest([.oversize]) { client, _ in
            try client.send(#"{"execute":"guest-ping","id":"big"}"#)
            let line = try #require(client.readLine(timeout: 20))
            #expect(line.count > 16 << 20)
            // Valid JSON, just too big: a string member and the request's id.
            #expect(line.starts(with: Array(#"{"return": "AAAA"#.utf8)))
            #expect(line.suffix(16) == ArraySlice(Array(#"A", "id": "big"}"#.utf8)))
        }
    }

    @Test func frozenGuestStartsFrozen() async throws {
        try await withFaultyGuest([.frozen]) { client, fleet in
            let frozen = try await fleet.isFrozen(guest: 1)
            let status = try client.ask(#"{"execute":"guest-fsfreeze-status"}"#)
            let fsinfo = try client.ask(#"{"execute":"guest-get-fsinfo"}"#)
            #expect(frozen)
            #expect(status == #"{"return": "frozen"}"#)
            #expect(fsinfo == #"{"error": {"class": "CommandNotFound", "desc": "Command guest-get-fsinfo has been disabled: the agent is in frozen state"}}"#)
        }
    }

    @Test func skewedGuestClockIsOffByAMinuteOrMore() async throws {
        try await withFaultyGuest([.skew]) { client, _ in
            let line = try #require(try client.ask(#"{"execute":"guest-get-time"}"#))
            let value = try AgentJSONParser.parse(Array(line.utf8))
            let nanoseconds = try #require(value.objectValue?["return"]?.int64Value)
            let offset = abs(Double(nanoseconds) / 1e9 - Date().timeIntervalSince1970)
            #expect(offset >= 59 && offset <= 3601)
        }
    }

    @Test func faultEventsAreRecorded() async throws {
        let recorder = EventRecorder()
        try await withFaultyGuest([.garbage], configure: { $0.onEvent = recorder.record }) { client, _ in
            let first = try client.ask(#"{"execute":"guest-ping"}"#)
            #expect(first != nil)
            _ = client.readLine()
        }
        #expect(recorder.events.contains { $0.kind == .fault && $0.detail == "garbage" && $0.guest == "guest-0001" })
    }
}

struct FaultSpecTests {
    @Test func sharesPickExactCountsDeterministically() throws {
        let spec = try FaultSpec(parsing: "silent=5%,slow=10%, frozen=0%")
        #expect(spec.shares == [.silent: 0.05, .slow: 0.10, .frozen: 0])
        let first = spec.assignments(guestCount: 1000, seed: 4)
        #expect(first.values.filter { $0.contains(.silent) }.count == 50)
        #expect(first.values.filter { $0.contains(.slow) }.count == 100)
        #expect(first.values.allSatisfy { !$0.contains(.frozen) })
        #expect(spec.assignments(guestCount: 1000, seed: 4) == first)
        #expect(spec.assignments(guestCount: 1000, seed: 5) != first)
    }

    @Test func explicitEntriesNameGuestsByNameOrIndex() throws {
        let spec = try FaultSpec(parsing: "guest-0001=silent,2=slow+stale,guest-0009=oversize")
        let assigned = spec.assignments(guestCount: 5, seed: 1)
        #expect(assigned == [1: [.silent], 2: [.slow, .stale]])
    }

    @Test func badSpecsAreRejectedWithAReason() {
        for bad in ["silent", "silent=5", "loud=5%", "guest-0001=loud", "silent=500%"] {
            #expect(throws: ShareSpecError.self, "\(bad)") { try FaultSpec(parsing: bad) }
        }
    }
}
