import Foundation
import Testing
@testable import QGASimulator

/// The real qemu-ga 7.2 is the ground truth: for the same requests, the simulator must send the
/// same bytes where the answer does not depend on the machine, and the same shapes (members,
/// their order and JSON types) where it does.
@Suite(.serialized, .enabled(if: RealAgent.isAvailable, "needs /usr/sbin/qemu-ga"))
struct RealAgentComparisonTests {
    /// Runs the same requests against the real agent and a simulated guest configured alike.
    private func compare(
        frozen: Bool = false, _ body: (_ real: RawAgentClient, _ simulated: RawAgentClient) throws -> Void
    ) async throws {
        let real = try RealAgent(startFrozen: frozen)
        defer { real.stop() }
        try await withFleet(guests: 1, configure: {
            $0.guest.blockedCommands = Set(RealAgent.blockList)
            if frozen { $0.faults = FaultSpec(explicit: [1: [.frozen]]) }
        }) { fleet in
            let realClient = try RawAgentClient(path: real.socketPath)
            let simulatedClient = try RawAgentClient(path: fleet.socketPath(ofGuest: 1))
            // Start both from a clean parser, as every client should.
            for client in [realClient, simulatedClient] {
                try client.send([0xFF] + Array(#"{"execute":"guest-sync-delimited","arguments":{"id":1}}"#.utf8))
                _ = client.readLine()
                _ = client.readLine()
            }
            try body(realClient, simulatedClient)
        }
    }

    /// Byte-identical answers: protocol behaviour, errors, and machine-independent commands.
    static let identicalRequests: [[UInt8]] = [
        [0xFF],
        Array(#"{"execute":"guest-sync-delimited","arguments":{"id":123},"id":"x"}"#.utf8),
        Array(#"{"execute":"guest-sync","arguments":{"id":-5}}"#.utf8),
        Array(#"{"execute":"guest-ping","id":{"a":[1,2.5,"\u00e9",null,true]}}"#.utf8),
        Array(#"{"execute":"guest-ping","id":18446744073709551615}"#.utf8),
        Array(#"{"execute":"guest-ping","id":0.1}"#.utf8),
        Array(#"{"execute":"guest-info"}"#.utf8),
        Array(#"{"execute":"guest-fsfreeze-status","id":3}"#.utf8),
        Array(#"{"execute":"guest-nope","id":1}"#.utf8),
        Array(#"{"execute":"guest-get-devices"}"#.utf8),
        Array(#"{"execute":"guest-fsfreeze-freeze"}"#.utf8),
        Array(#"{"execute":"guest-shutdown","arguments":{"mode":"x"}}"#.utf8),
        Array(#"{"execute":"guest-ssh-add-authorized-keys","arguments":{"username":"root","keys":[]}}"#.utf8),
        Array(#"{"foo":1}"#.utf8),
        Array("[1,2]".utf8),
        Array(#"{"execute":5}"#.utf8),
        Array(#"{"execute":"guest-ping","arguments":null}"#.utf8),
        Array(#"{"execute":"guest-ping","arguments":{"x":1}}"#.utf8),
        Array(#"{"execute":"guest-ping","id":1,"extra":2}"#.utf8),
        Array(#"{"execute":"guest-sync"}"#.utf8),
        Array(#"{"execute":"guest-sync","arguments":{"id":"s"}}"#.utf8),
        Array(#"{"execute":"guest-file-read","arguments":{"handle":12345}}"#.utf8),
        Array(#"{"execute":"guest-file-read","arguments":{"handle":"a"}}"#.utf8),
        Array(#"{"execute":"guest-file-open","arguments":{"path":"/nonexistent/\"é\t😀"}}"#.utf8),
        Array(#"{"execute":"guest-file-open","arguments":{"path":"/etc/hostname","mode":"zz"}}"#.utf8),
        Array(#"{"execute":"guest-exec-status","arguments":{"pid":999999}}"#.utf8),
        Array(#"{"execute":"guest-exec-status","arguments":{}}"#.utf8),
        Array(#"{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"nosuchuser"}}"#.utf8),
        Array(#"{"execute":"guest-ping" x}"#.utf8),
        Array("hello\n".utf8),
        Array("}".utf8),
        Array(#"{"execute":"guest-pi"#.utf8) + [0xFF],
    ]

    @Test(arguments: identicalRequests)
    func answersAreByteIdentical(request: [UInt8]) async throws {
        try await compare { real, simulated in
            try real.send(request)
            try simulated.send(request)
            let realLine = real.readLine(timeout: 5)
            #expect(realLine != nil, "the real agent answered")
            #expect(simulated.readLine(timeout: 5) == realLine)
        }
    }

    @Test func frozenAgentsAnswerAlike() async throws {
        try await compare(frozen: true) { real, simulated in
            for request in [
                #"{"execute":"guest-get-fsinfo","id":1}"#, #"{"execute":"guest-fsfreeze-status"}"#,
                #"{"execute":"guest-ping"}"#, #"{"execute":"guest-get-time"}"#, #"{"execute":"guest-info"}"#,
                #"{"execute":"guest-exec","arguments":{"path":"/bin/true"}}"#,
            ] {
                let realLine = try real.ask(request)
                #expect(realLine != nil)
                #expect(try simulated.ask(request) == realLine, "\(request)")
            }
        }
    }

    /// Member names, their order, and JSON types, recursively; arrays by their first element.
    static func shape(_ value: JSONValue, ignoring optional: Set<String> = []) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .uint: return "int"
        case .double: return "number"
        case .string: return "string"
        case .array(let elements): return "[" + (elements.first.map { shape($0, ignoring: optional) } ?? "") + "]"
        case .object(let object):
            let keys = object.keys
            let members = QDictOrder.wireOrder(of: keys).filter { !optional.contains(keys[$0]) }
                .map { "\(keys[$0]): \(shape(object.members[$0].value, ignoring: optional))" }
            return "{" + members.joined(separator: ", ") + "}"
        }
    }

    static let shapedCommands = [
        "guest-get-diskstats", "guest-get-cpustats", "guest-get-osinfo", "guest-get-host-name",
        "guest-get-timezone", "guest-get-time", "guest-get-vcpus", "guest-get-memory-block-info",
    ]

    @Test(arguments: shapedCommands)
    func repliesHaveTheRealShape(command: String) async throws {
        try await compare { real, simulated in
            let request = #"{"execute":"\#(command)","id":1}"#
            let realValue = try AgentJSONParser.parse(Array(try #require(try real.ask(request)).utf8))
            let simulatedValue = try AgentJSONParser.parse(Array(try #require(try simulated.ask(request)).utf8))
            #expect(Self.shape(simulatedValue) == Self.shape(realValue))
        }
    }

    /// Interfaces and filesystems differ in optional members by device (the host has ifb
    /// devices without addresses or statistics; a disk may have a serial, optional in the
    /// schema, which the host's disk lacks): compare with the host's fullest entry, leaving out
    /// the schema-optional `serial`.
    @Test func interfaceAndFilesystemMembersMatchTheRealAgent() async throws {
        try await compare { real, simulated in
            for command in ["guest-network-get-interfaces", "guest-get-fsinfo"] {
                let request = #"{"execute":"\#(command)"}"#
                let realEntries = try AgentJSONParser.parse(Array(try #require(try real.ask(request)).utf8))
                    .objectValue?["return"]?.arrayValue ?? []
                let simulatedEntries = try AgentJSONParser.parse(Array(try #require(try simulated.ask(request)).utf8))
                    .objectValue?["return"]?.arrayValue ?? []
                let realFull = try #require(realEntries.max { ($0.objectValue?.keys.count ?? 0) < ($1.objectValue?.keys.count ?? 0) })
                for entry in simulatedEntries {
                    #expect(Self.shape(entry, ignoring: ["serial"]) == Self.shape(realFull), "\(command)")
                }
            }
        }
    }

    @Test func usersFollowTheDocumentedShape() async throws {
        // The host has nobody logged in, so check the member order the encoder gives against
        // QDict order and the schema (user: string, login-time: number).
        let profile = try #require((1...20).lazy.map { GuestProfile(index: $0, seed: 1) }.first { !$0.users.isEmpty })
        let users = (0..<96).lazy.map { PayloadBuilder(profile: profile, time: 1_750_000_000 + Double($0) * 1800).users() }
        let some = try #require(users.first { !($0.arrayValue ?? []).isEmpty })
        #expect(Self.shape(some) == "[{login-time: number, user: string}]")
        #expect(String(decoding: AgentJSONEncoder.encode(some), as: UTF8.self).hasPrefix(#"[{"login-time": "#))
    }
}
