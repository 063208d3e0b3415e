import Testing
@testable import QGASimulator

/// The agent's dispatch and state machines, driven directly (no sockets).
struct AgentCommandTests {
    static let fixedTime = 1_750_000_000.0

    private func makeAgent(blocked: Set<String> = [], frozen: Bool = false) -> GuestAgent {
        var configuration = GuestConfiguration()
        configuration.blockedCommands = blocked
        return GuestAgent(
            profile: GuestProfile(index: 1, seed: 42), configuration: configuration, frozen: frozen,
            clockOffset: 0, now: { Self.fixedTime })
    }

    /// Sends `request` and returns the reply lines as text (without newlines).
    private func replies(_ agent: GuestAgent, _ request: String) -> [String] {
        agent.receive(Array(request.utf8)).compactMap { response in
            response.line.map { String(decoding: $0.dropLast(), as: UTF8.self) }
        }
    }

    private func reply(_ agent: GuestAgent, _ request: String) -> String? { replies(agent, request).first }

    @Test func requestErrorsUseTheRealWordings() {
        let agent = makeAgent(blocked: ["guest-shutdown"])
        #expect(reply(agent, #"{"execute":"guest-nope","id":1}"#)
            == #"{"id": 1, "error": {"class": "CommandNotFound", "desc": "The command guest-nope has not been found"}}"#)
        #expect(reply(agent, #"{"execute":"guest-shutdown","arguments":{"mode":"x"}}"#)
            == #"{"error": {"class": "CommandNotFound", "desc": "Command guest-shutdown has been disabled"}}"#)
        #expect(reply(agent, #"{"foo":1}"#)
            == #"{"error": {"class": "GenericError", "desc": "QMP input member 'foo' is unexpected"}}"#)
        #expect(reply(agent, "[1,2]")
            == #"{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}"#)
        #expect(reply(agent, #"{"execute":5}"#)
            == #"{"error": {"class": "GenericError", "desc": "QMP input member 'execute' must be a string"}}"#)
        #expect(reply(agent, #"{"execute":"guest-ping","arguments":null}"#)
            == #"{"error": {"class": "GenericError", "desc": "QMP input member 'arguments' must be an object"}}"#)
        #expect(reply(agent, #"{"execute":"guest-ping","arguments":{"x":1}}"#)
            == #"{"error": {"class": "GenericError", "desc": "Parameter 'x' is unexpected"}}"#)
        #expect(reply(agent, #"{"execute":"guest-sync"}"#)
            == #"{"error": {"class": "GenericError", "desc": "Parameter 'id' is missing"}}"#)
        #expect(reply(agent, #"{"execute":"guest-sync","arguments":{"id":"s"}}"#)
            == #"{"error": {"class": "GenericError", "desc": "Invalid parameter type for 'id', expected: integer"}}"#)
    }

    @Test func idsOfAnyTypeAreEchoed() {
        let agent = makeAgent()
        #expect(reply(agent, #"{"execute":"guest-ping","id":{"a":1}}"#) == #"{"return": {}, "id": {"a": 1}}"#)
        #expect(reply(agent, #"{"execute":"guest-ping","id":"\u00e9/"}"#) == #"{"return": {}, "id": "\u00E9/"}"#)
        #expect(reply(agent, #"{"execute":"guest-ping","id":18446744073709551615}"#)
            == #"{"return": {}, "id": 18446744073709551615}"#)
        #expect(reply(agent, #"{"execute":"guest-sync","arguments":{"id":77},"id":9}"#) == #"{"return": 77, "id": 9}"#)
    }

    @Test func syncDelimitedLeadsWithTheDelimiterByte() throws {
        let agent = makeAgent()
        let responses = agent.receive([0xFF] + Array(#"{"execute":"guest-sync-delimited","arguments":{"id":123}}"#.utf8))
        #expect(responses.count == 2)
        #expect(responses[0].line == Array(
            #"{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\uFFFD'"}}"#.utf8) + [0x0A])
        #expect(responses[1].line == [0xFF] + Array(#"{"return": 123}"#.utf8) + [0x0A])
    }

    @Test func freezeDisablesAllButTheSafeCommandsUntilThaw() {
        let agent = makeAgent()
        let freezable = agent.freezableFilesystems.count
        #expect(reply(agent, #"{"execute":"guest-fsfreeze-freeze"}"#) == #"{"return": \#(freezable)}"#)
        #expect(reply(agent, #"{"execute":"guest-fsfreeze-status"}"#) == #"{"return": "frozen"}"#)
        #expect(reply(agent, #"{"execute":"guest-get-fsinfo","id":1}"#)
            == #"{"id": 1, "error": {"class": "CommandNotFound", "desc": "Command guest-get-fsinfo has been disabled: the agent is in frozen state"}}"#)
        #expect(reply(agent, #"{"execute":"guest-fsfreeze-freeze"}"#)?.contains("frozen state") == true)
        #expect(reply(agent, #"{"execute":"guest-ping"}"#) == #"{"return": {}}"#)
        #expect(reply(agent, #"{"execute":"guest-fsfreeze-thaw"}"#) == #"{"return": \#(freezable)}"#)
        #expect(reply(agent, #"{"execute":"guest-fsfreeze-status"}"#) == #"{"return": "thawed"}"#)
        #expect(reply(agent, #"{"execute":"guest-fsfreeze-thaw"}"#) == #"{"return": 0}"#)
        #expect(reply(agent, #"{"execute":"guest-get-fsinfo"}"#)?.hasPrefix(#"{"return": ["#) == true)
    }

    @Test func guestInfoReportsDisabledCommandsWhileFrozen() throws {
        let agent = makeAgent(frozen: true)
        let info = try #require(agent.agentInfo().objectValue?["supported_commands"]?.arrayValue)
        #expect(info.count == CommandCatalogue.commands.count)
        for entry in info {
            let object = try #require(entry.objectValue)
            let name = try #require(object["name"]?.stringValue)
            let expected = CommandCatalogue.allowedWhileFrozen.contains(name)
            #expect(object["enabled"] == .bool(expected), "\(name)")
        }
    }

    @Test func shutdownAndSuspendAnswerNothing() {
        let agent = makeAgent()
        let shutdown = agent.receive(Array(#"{"execute":"guest-shutdown"}"#.utf8))
        #expect(shutdown.count == 1 && shutdown[0].line == nil && shutdown[0].effect == .shutdown)
        let reboot = agent.receive(Array(#"{"execute":"guest-shutdown","arguments":{"mode":"reboot"}}"#.utf8))
        #expect(reboot[0].line == nil && reboot[0].effect == .away(seconds: 5, closes: true))
        let suspend = agent.receive(Array(#"{"execute":"guest-suspend-ram"}"#.utf8))
        #expect(suspend[0].line == nil && suspend[0].effect == .away(seconds: 10, closes: false))
    }

    @Test func filesCanBeWrittenSeekedAndReadBack() {
        let agent = makeAgent()
        #expect(reply(agent, #"{"execute":"guest-file-open","arguments":{"path":"/nope"}}"#)
            == #"{"error": {"class": "GenericError", "desc": "failed to open file '/nope' (mode: 'r'): No such file or directory"}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-open","arguments":{"path":"/tmp/x","mode":"w+"}}"#)
            == #"{"return": 1000}"#)
        #expect(reply(agent, #"{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":"aGVsbG8gd29ybGQK"}}"#)
            == #"{"return": {"count": 12, "eof": false}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-seek","arguments":{"handle":1000,"offset":-6,"whence":"end"}}"#)
            == #"{"return": {"eof": false, "position": 6}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-read","arguments":{"handle":1000,"count":5}}"#)
            == #"{"return": {"count": 5, "buf-b64": "d29ybGQ=", "eof": false}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-seek","arguments":{"handle":1000,"offset":0,"whence":0}}"#)
            == #"{"return": {"eof": false, "position": 0}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-read","arguments":{"handle":1000}}"#)
            == #"{"return": {"count": 12, "buf-b64": "aGVsbG8gd29ybGQK", "eof": true}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-seek","arguments":{"handle":1000,"offset":0,"whence":"nope"}}"#)
            == #"{"error": {"class": "GenericError", "desc": "Parameter 'whence' does not accept value 'nope'"}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":"!!"}}"#)
            == #"{"error": {"class": "GenericError", "desc": "Base64 data contains invalid characters"}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-close","arguments":{"handle":1000}}"#) == #"{"return": {}}"#)
        #expect(reply(agent, #"{"execute":"guest-file-close","arguments":{"handle":1000}}"#)
            == #"{"error": {"class": "GenericError", "desc": "handle '1000' has not been found"}}"#)
    }

    @Test func execEchoesAndStatusReapsOnce() throws {
        let agent = makeAgent()
        let started = try #require(reply(agent,
            #"{"execute":"guest-exec","arguments":{"path":"/bin/echo","arg":["hi","there"],"capture-output":true}}"#))
        let pid = try #require(started.split(separator: " ").last?.dropLast(2))
        #expect(reply(agent, #"{"execute":"guest-exec-status","arguments":{"pid":\#(pid)}}"#)
            == #"{"return": {"exitcode": 0, "out-data": "aGkgdGhlcmUK", "out-truncated": false, "exited": true}}"#)
        #expect(reply(agent, #"{"execute":"guest-exec-status","arguments":{"pid":\#(pid)}}"#)
            == #"{"error": {"class": "GenericError", "desc": "Invalid parameter 'pid'"}}"#)
        let sleeper = try #require(reply(agent, #"{"execute":"guest-exec","arguments":{"path":"sleep","arg":["30"]}}"#))
        let sleeperPID = try #require(sleeper.split(separator: " ").last?.dropLast(2))
        #expect(reply(agent, #"{"execute":"guest-exec-status","arguments":{"pid":\#(sleeperPID)}}"#)
            == #"{"return": {"exited": false}}"#)
    }

    @Test func sshKeysLiveInMemory() {
        let agent = makeAgent()
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE test@host"
        #expect(reply(agent, #"{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"root"}}"#)?
            .contains("No such file or directory") == true)
        #expect(reply(agent, #"{"execute":"guest-ssh-add-authorized-keys","arguments":{"username":"root","keys":["\#(key)"]}}"#)
            == #"{"return": {}}"#)
        #expect(reply(agent, #"{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"root"}}"#)
            == #"{"return": {"keys": ["\#(key)"]}}"#)
        #expect(reply(agent, #"{"execute":"guest-ssh-remove-authorized-keys","arguments":{"username":"root","keys":["\#(key)"]}}"#)
            == #"{"return": {}}"#)
        #expect(reply(agent, #"{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"root"}}"#)
            == #"{"return": {"keys": []}}"#)
        #expect(reply(agent, #"{"execute":"guest-ssh-get-authorized-keys","arguments":{"username":"nosuchuser"}}"#)
            == #"{"error": {"class": "GenericError", "desc": "failed to lookup user 'nosuchuser': Success"}}"#)
    }

    @Test func setTimeMovesTheGuestClock() {
        let agent = makeAgent()
        let host = Int64(Self.fixedTime * 1e9)
        #expect(reply(agent, #"{"execute":"guest-get-time"}"#) == #"{"return": \#(host)}"#)
        #expect(reply(agent, #"{"execute":"guest-set-time","arguments":{"time":\#(host + 90_000_000_000)}}"#)
            == #"{"return": {}}"#)
        #expect(reply(agent, #"{"execute":"guest-get-time"}"#) == #"{"return": \#(host + 90_000_000_000)}"#)
        _ = reply(agent, #"{"execute":"guest-set-time"}"#)
        #expect(reply(agent, #"{"execute":"guest-get-time"}"#) == #"{"return": \#(host)}"#)
    }
}
