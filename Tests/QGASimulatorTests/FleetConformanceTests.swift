import Foundation
import Testing
import QGASimulator

/// The fleet over real unix sockets, with a raw client: framing, sync, pipelining, errors,
/// freeze, shutdown, one client at a time.
@Suite(.serialized)
struct FleetConformanceTests {
    @Test func everyGuestGetsItsOwnSocket() async throws {
        try await withFleet(guests: 4) { fleet in
            for index in 1...4 {
                let path = fleet.socketPath(ofGuest: index)
                #expect(path.hasSuffix("/guest-000\(index).sock"))
                let client = try RawAgentClient(path: path)
                #expect(try client.ask(#"{"execute":"guest-get-host-name"}"#) == #"{"return": {"host-name": "vm-000\#(index)"}}"#)
            }
        }
    }

    @Test func syncDelimitedAnswersWithTheDelimiterThenTheId() async throws {
        try await withFleet { fleet in
            let client = try RawAgentClient(path: fleet.socketPath(ofGuest: 1))
            // A half-sent request first: the 0xFF must throw it away.
            try client.send(#"{"execute":"guest-get-fs"#)
            try client.send([0xFF] + Array(#"{"execute":"guest-sync-delimited","arguments":{"id":4242}}"#.utf8))
            #expect(client.readLineText()
                == #"{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\"guest-get-fs\uFFFD'"}}"#)
            #expect(client.readLine() == [0xFF] + Array(#"{"return": 4242}"#.utf8))
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderWithTheirIds() async throws {
        try await withFleet { fleet in
            let client = try RawAgentClient(path: fleet.socketPath(ofGuest: 2))
            let requests = (1...50).map { #"{"execute":"guest-ping","id":\#($0)}"# }.joined()
            try client.send(requests + #"{"execute":"guest-sync","arguments":{"id":7}}"#)
            for id in 1...50 { #expect(client.readLineText() == #"{"return": {}, "id": \#(id)}"#) }
            #expect(client.readLineText() == #"{"return": 7}"#)
        }
    }

    @Test func blockedAndUnknownCommandsAnswerCommandNotFound() async throws {
        try await withFleet(configure: { $0.guest.blockedCommands = ["guest-get-users"] }) { fleet in
            let client = try RawAgentClient(path: fleet.socketPath(ofGuest: 1))
            #expect(try client.ask(#"{"execute":"guest-get-users","id":"u"}"#)
                == #"{"id": "u", "error": {"class": "CommandNotFound", "desc": "Command guest-get-users has been disabled"}}"#)
            #expect(try client.ask(#"{"execute":"guest-get-load"}"#)
                == #"{"error": {"class": "CommandNotFound", "desc": "The command guest-get-load has not been found"}}"#)
        }
    }

    @Test func freezeThenThawIsRecordedInTheEventLog() async throws {
        let recorder = EventRecorder()
        let logDirectory = try TemporaryDirectory.make(prefix: "qga-log")
        let logPath = logDirectory.appendingPathComponent("events.jsonl").path
        defer { try? FileManager.default.removeItem(at: logDirectory) }
        try await withFleet(configure: {
            $0.onEvent = recorder.record
            $0.eventLogPath = logPath
        }) { fleet in
            let client = try RawAgentClient(path: fleet.socketPath(ofGuest: 3))
            let frozen = try #require(try client.ask(#"{"execute":"guest-fsfreeze-freeze"}"#))
            #expect(frozen.hasPrefix(#"{"return": "#))
            #expect(try await fleet.isFrozen(guest: 3))
            #expect(try client.ask(#"{"execute":"guest-get-diskstats"}"#)?.contains("the agent is in frozen state") == true)
            #expect(try client.ask(#"{"execute":"guest-fsfreeze-thaw"}"#) == frozen)
            #expect(try await !fleet.isFrozen(guest: 3))
        }
        let commands = recorder.events.filter { $0.guest == "guest-0003" && $0.kind == .command }.compactMap(\.command)
        #expect(commands == ["guest-fsfreeze-freeze", "guest-get-diskstats", "guest-fsfreeze-thaw"])
        let logged = try String(contentsOfFile: logPath, encoding: .utf8)
        let freezeLine = try #require(logged.split(separator: "\n").first { $0.contains("guest-fsfreeze-freeze") })
        #expect(freezeLine.contains(#""guest": "guest-0003""#) && freezeLine.contains(#""result": "ok""#))
        #expect(logged.range(of: "guest-fsfreeze-freeze")!.lowerBound < logged.range(of: "guest-fsfreeze-thaw")!.lowerBound)
    }

    @Test func shutdownClosesTheConnectionAndRemovesTheSocket() async throws {
        try await withFleet { fleet in
            let path = fleet.socketPath(ofGuest: 2)
            let client = try RawAgentClient(path: path)
            try client.send(#"{"execute":"guest-shutdown"}"#)
            #expect(client.readAll(timeout: 5).isEmpty)
            #expect(client.sawEOF)
            #expect(try await fleet.isShutDown(guest: 2))
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(throws: RawAgentClient.Failure.self) { try RawAgentClient(path: path) }
            // The other guests carry on.
            #expect(try RawAgentClient(path: fleet.socketPath(ofGuest: 1)).ask(#"{"execute":"guest-ping"}"#)
                == #"{"return": {}}"#)
        }
    }

    @Test func aSecondClientWaitsUntilTheFirstLeaves() async throws {
        try await withFleet { fleet in
            let path = fleet.socketPath(ofGuest: 1)
            let first = try RawAgentClient(path: path)
            #expect(try first.ask(#"{"execute":"guest-ping","id":1}"#) == #"{"return": {}, "id": 1}"#)
            // connect() succeeds (the backlog holds it) but nobody reads the request yet.
            let second = try RawAgentClient(path: path)
            try second.send(#"{"execute":"guest-ping","id":2}"#)
            #expect(second.readLine(timeout: 0.5) == nil)
            #expect(try first.ask(#"{"execute":"guest-ping","id":3}"#) == #"{"return": {}, "id": 3}"#)
            first.disconnect()
            #expect(second.readLineText() == #"{"return": {}, "id": 2}"#)
        }
    }

    @Test func aHalfSentRequestSurvivesReconnectLikeTheRealAgent() async throws {
        try await withFleet { fleet in
            let path = fleet.socketPath(ofGuest: 1)
            do {
                let leaver = try RawAgentClient(path: path)
                try leaver.send(#"{"execute":"guest-ping","#)
                _ = leaver.readLine(timeout: 0.2)
            }
            let next = try RawAgentClient(path: path)
            // The parser kept the leftover half, so this fragment completes it into a ping.
            let answer = try #require(try next.ask(#""id":1}"#))
            #expect(answer == #"{"return": {}, "id": 1}"#)
        }
    }
}
