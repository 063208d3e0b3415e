import Foundation
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// The control API against a real qemu-ga (every state-changing command blocked with -b),
/// through the real HTTP listener, with real tokens and bcrypt users.
@Suite(.serialized) struct ControlRealAgentTests {
    typealias Credential = ControlHarness.Credential

    private func withRealAgent(_ body: (ControlHarness, RealAgent) async throws -> Void) async throws {
        let agent = try await RealAgent.start()
        var options = ControlHarness.Options()
        options.guests = [("host", "unix:\(agent.socketPath)")]
        try await agent.use { _ in
            try await ControlHarness.with(options) { harness in
                #expect(await harness.waitUntilUp("host"))
                try await body(harness, agent)
            }
        }
    }

    @Test func pingOSInfoAndFreezeStatus() async throws {
        try await withRealAgent { harness, _ in
            let ping = try await harness.control("POST", "/api/v1/guests/host/commands/guest-ping")
            #expect(ping.status == 200)
            #expect((ping.json["return"] as? [String: Any])?.isEmpty == true)

            let osinfo = try await harness.control("POST", "/api/v1/guests/host/commands/guest-get-osinfo", auth: .bearer(Credential.viewerToken))
            #expect(osinfo.status == 200)
            let release = try await Command.run("uname", ["-r"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
            let info = try #require(osinfo.json["return"] as? [String: Any])
            #expect(info["kernel-release"] as? String == release, "the agent runs on this host")

            let status = try await harness.control("GET", "/api/v1/guests/host/fsfreeze")
            #expect(status.status == 200)
            #expect(status.json["status"] as? String == "thawed")
            #expect(status.json["auto_thaw_at"] == nil)

            // Arguments travel as the body: guest-get-time takes none, an empty object is fine.
            let time = try await harness.control("POST", "/api/v1/guests/host/commands/guest-get-time", body: Data("{}".utf8))
            let nanoseconds = try #require((time.json["return"] as? NSNumber)?.doubleValue)
            #expect(abs(nanoseconds / 1e9 - Date().timeIntervalSince1970) < 60, "the agent's clock is this host's")
        }
    }

    @Test func execEchoReturnsItsOutput() async throws {
        try await withRealAgent { harness, _ in
            let body = #"{"path": "/bin/echo", "args": ["hello", "from the guest"]}"#
            let reply = try await harness.control("POST", "/api/v1/guests/host/exec", body: Data(body.utf8))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["exited"] as? Bool == true)
            #expect(reply.json["exit_code"] as? Int == 0)
            #expect(reply.json["stdout"] as? String == "hello from the guest\n")
            #expect(reply.json["stderr"] as? String == "")
            #expect(reply.json["pid"] as? Int ?? 0 > 0)

            // stdin, a non-zero exit and stderr.
            let shell = #"{"path": "/bin/sh", "args": ["-c", "cat; echo oops >&2; exit 3"], "input": "fed via stdin"}"#
            let failing = try await harness.control("POST", "/api/v1/guests/host/exec", body: Data(shell.utf8))
            #expect(failing.json["exit_code"] as? Int == 3)
            #expect(failing.json["stdout"] as? String == "fed via stdin")
            #expect(failing.json["stderr"] as? String == "oops\n")

            // Bytes that are not UTF-8 come back as base64, unmangled.
            let binary = #"{"path": "/usr/bin/printf", "args": ["\\377\\376A"]}"#
            let raw = try await harness.control("POST", "/api/v1/guests/host/exec", body: Data(binary.utf8))
            #expect(raw.json["stdout"] == nil)
            #expect(raw.json["stdout_base64"] as? String == Data([0xFF, 0xFE, 0x41]).base64EncodedString())
        }
    }

    @Test func execWaitEndsWith504AndThePid() async throws {
        try await withRealAgent { harness, _ in
            let body = #"{"path": "/bin/sleep", "args": ["5"], "timeout_seconds": 0.3}"#
            let reply = try await harness.control("POST", "/api/v1/guests/host/exec", body: Data(body.utf8))
            #expect(reply.status == 504)
            let error = try #require(reply.json["error"] as? [String: Any])
            #expect(error["kind"] as? String == "exec_timeout")
            #expect(error["pid"] as? Int ?? 0 > 0)
        }
    }

    @Test func fileWriteThenReadBack() async throws {
        try await withRealAgent { harness, _ in
            // 2.5 MiB of every byte value: three chunks each way, and nothing survives as text.
            let content = Data((0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })
            let path = "\(harness.directory)/written by the agent.bin"
            let query = "path=" + path.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let written = try await harness.control("PUT", "/api/v1/guests/host/file?\(query)", body: content,
                                              headers: ["Content-Type": "application/octet-stream"])
            #expect(written.status == 200, "\(written.text)")
            #expect(written.json["bytes_written"] as? Int == content.count)
            #expect(FileManager.default.contents(atPath: path) == content, "the agent wrote the file on this host")

            let read = try await harness.control("GET", "/api/v1/guests/host/file?\(query)")
            #expect(read.status == 200)
            #expect(read.headers["content-type"] == "application/octet-stream")
            #expect(read.body == content)

            let appended = try await harness.control("PUT", "/api/v1/guests/host/file?\(query)&append=true", body: Data("tail".utf8))
            #expect(appended.status == 200)
            #expect(FileManager.default.contents(atPath: path) == content + Data("tail".utf8))

            let missing = try await harness.control("GET", "/api/v1/guests/host/file?path=/nonexistent/qga-test")
            #expect(missing.status == 502)
            #expect((missing.json["error"] as? [String: Any])?["class"] as? String == "GenericError")

            // The audit log names the calls but never holds what was written.
            let audit = try String(contentsOfFile: harness.auditLogPath, encoding: .utf8)
            #expect(audit.contains(#""command":"guest-file-write""#))
            #expect(!audit.contains("tail"))
            #expect(!audit.contains(Credential.opsToken))
        }
    }

    @Test func whoMayDoWhat() async throws {
        try await withRealAgent { harness, _ in
            let osinfo = "/api/v1/guests/host/commands/guest-get-osinfo"
            let exec = "/api/v1/guests/host/exec"
            let echo = Data(#"{"path": "/bin/echo"}"#.utf8)

            // An allowlisted token can; a token without the command gets 403.
            #expect(try await harness.control("POST", exec, body: echo).status == 200)
            let viewer = try await harness.control("POST", exec, auth: .bearer(Credential.viewerToken), body: echo)
            #expect(viewer.status == 403)
            #expect(viewer.errorKind == "not_allowed")
            #expect(try await harness.control("POST", osinfo, auth: .bearer(Credential.viewerToken)).status == 200)

            // No token, a wrong token, a wrong password: 401 with the challenges.
            let anonymous = try await harness.control("POST", osinfo, auth: .none)
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"] != nil, "a challenge for each configured scheme")
            #expect(try await harness.control("POST", osinfo, auth: .bearer(Credential.opsToken + "x")).status == 401)
            #expect(try await harness.control("POST", osinfo, auth: .bearer(String(Credential.opsToken.dropLast()))).status == 401)
            #expect(try await harness.control("POST", osinfo, auth: .basic("alice", "wrong")).status == 401)
            #expect(try await harness.control("POST", osinfo, auth: .basic("mallory", Credential.alicePassword)).status == 401)
            #expect(try await harness.control("POST", osinfo, auth: .header("Digest username=alice")).status == 401)

            // The right password ($2y$ hash, as htpasswd writes it), and a listed user's own list.
            #expect(try await harness.control("POST", osinfo, auth: .basic("alice", Credential.alicePassword)).status == 200)
            #expect(try await harness.control("POST", osinfo, auth: .basic("bob", Credential.bobPassword)).status == 200)
            let bobPing = try await harness.control("POST", "/api/v1/guests/host/commands/guest-ping", auth: .basic("bob", Credential.bobPassword))
            #expect(bobPing.status == 403, "bob's list replaces the read-only default")

            // Unknown guest 404, sync commands are the exporter's own, bad names 400.
            let unknown = try await harness.control("POST", "/api/v1/guests/nosuchguest/commands/guest-ping")
            #expect(unknown.status == 404)
            #expect(unknown.errorKind == "unknown_guest")
            #expect(try await harness.control("GET", "/api/v1/guests/nosuchguest").status == 404)
            #expect(try await harness.control("POST", "/api/v1/guests/host/commands/guest-sync-delimited").status == 400)
            #expect(try await harness.control("POST", "/api/v1/guests/host/commands/rm%20-rf").status == 400)

            // The agent's own error: 502 with its class and text.
            let unsupported = try await harness.control("POST", "/api/v1/guests/host/commands/guest-no-such-command")
            #expect(unsupported.status == 502)
            let error = try #require(unsupported.json["error"] as? [String: Any])
            #expect(error["class"] as? String == "CommandNotFound")
            #expect((error["message"] as? String)?.contains("guest-no-such-command") == true)

            // Bad arguments are the agent's to judge; a body that is not an object is ours.
            #expect(try await harness.control("POST", osinfo, body: Data("[1,2]".utf8)).status == 400)
            #expect(try await harness.control("POST", exec, body: Data(#"{"args": []}"#.utf8)).status == 400)

            let entries = try harness.auditEntries()
            #expect(entries.contains { $0["principal"] as? String == "viewer" && $0["status"] as? Int == 403 && $0["command"] as? String == "guest-exec" })
            #expect(entries.contains { $0["principal"] as? String == "alice" && $0["auth"] as? String == "basic" && $0["status"] as? Int == 200 })
            #expect(entries.contains { $0["principal"] as? String == "mallory" && $0["outcome"] as? String == "denied" })
            #expect(entries.contains { $0["guest"] as? String == "nosuchguest" && $0["status"] as? Int == 404 })
            #expect(entries.allSatisfy { $0["duration_seconds"] is NSNumber && $0["time"] is String })
            let audit = try String(contentsOfFile: harness.auditLogPath, encoding: .utf8)
            #expect(!audit.contains(Credential.alicePassword) && !audit.contains("wrong"))
        }
    }

    @Test func guestListShowsStateVersionAndEnabledCommands() async throws {
        try await withRealAgent { harness, _ in
            let reply = try await harness.control("GET", "/api/v1/guests", auth: .bearer(Credential.viewerToken))
            #expect(reply.status == 200)
            let guests = try #require(reply.json["guests"] as? [[String: Any]])
            let host = try #require(guests.first { $0["name"] as? String == "host" })
            #expect(host["state"] as? String == "up")
            #expect((host["agent_version"] as? String)?.hasPrefix("7.") == true)
            let enabled = try #require(host["enabled_commands"] as? [String])
            #expect(enabled.contains("guest-get-osinfo"))
            #expect(!enabled.contains("guest-fsfreeze-freeze"), "blocked with -b")
        }
    }

    /// The CLI: `call` through the exporter, `call --socket` straight to an agent, `guests`.
    @Test func commandLine() async throws {
        let binary = try requireValue(CLI.executable, "qga_exporter binary not built next to the tests")
        let direct = try await RealAgent.start()
        try await direct.use { _ in
            try await checkCommandLine(binary: binary, direct: direct)
        }
    }

    private func checkCommandLine(binary: String, direct: RealAgent) async throws {
        try await withRealAgent { harness, _ in
            let tokenFile = "\(harness.directory)/cli-token"
            try Credential.viewerToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
            let common = ["--control.address", harness.controlAddressText, "--token-file", tokenFile]

            let osinfo = try await Command.run(binary, ["call"] + common + ["host", "get-osinfo"])
            #expect(osinfo.status == 0, "\(osinfo.stderr)")
            let printed = try #require(try JSONSerialization.jsonObject(with: osinfo.stdout) as? [String: Any])
            #expect((printed["return"] as? [String: Any])?["kernel-release"] != nil)

            let denied = try await Command.run(binary, ["call"] + common + ["host", "guest-exec", #"{"path": "/bin/true"}"#])
            #expect(denied.status == 1)
            #expect(denied.stderr.contains("not_allowed"))

            let badJSON = try await Command.run(binary, ["call"] + common + ["host", "guest-ping", "[1]"])
            #expect(badJSON.status != 0)

            let guests = try await Command.run(binary, ["guests"] + common)
            #expect(guests.status == 0, "\(guests.stderr)")
            let lines = guests.text.split(separator: "\n")
            #expect(lines.first?.hasPrefix("NAME") == true)
            #expect(lines.contains { $0.hasPrefix("host ") && $0.contains(" up ") })

            let socket = try await Command.run(binary, ["call", "--socket", direct.socketPath, "guest-get-host-name"])
            #expect(socket.status == 0, "\(socket.stderr)")
            let hostName = try #require(try JSONSerialization.jsonObject(with: socket.stdout) as? [String: Any])
            let expected = try await Command.run("hostname", []).text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect((hostName["return"] as? [String: Any])?["host-name"] as? String == expected)

            let refused = try await Command.run(binary, ["call", "--socket", direct.socketPath, "guest-no-such-command"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("CommandNotFound"))
        }
    }
}

/// The built `qga_exporter` next to the test bundle.
enum CLI {
    static var executable: String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("qga_exporter").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
