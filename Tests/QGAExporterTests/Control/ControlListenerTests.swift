import Foundation
import QGATestSupport
import Testing

@testable import QGAExporter

/// The listener variants: a unix socket without credentials, and TLS plus basic auth from the
/// web config, which also guards /metrics.
@Suite(.serialized) struct ControlListenerTests {
    @Test func unixSocketCallersAreLocalAndReadOnly() async throws {
        let agent = try await RealAgent.start()
        let socketDirectory = try TemporaryDirectory.make(prefix: "qga-sock")
        var options = ControlHarness.Options()
        options.guests = [("host", "unix:\(agent.socketPath)")]
        options.unixSocket = "\(socketDirectory)/control.sock"
        options.withTokens = false
        options.withBasicAuth = false
        try await agent.use { _ in
            try await ControlHarness.with(options) { harness in
                #expect(await harness.waitUntilUp("host"))
                var info = stat()
                #expect(stat(options.unixSocket!, &info) == 0)
                #expect(info.st_mode & 0o777 == 0o660)

                let ping = try await harness.control("POST", "/api/v1/guests/host/commands/guest-ping", auth: .none)
                #expect(ping.status == 200)
                let exec = try await harness.control("POST", "/api/v1/guests/host/exec", auth: .none, body: Data(#"{"path": "/bin/true"}"#.utf8))
                #expect(exec.status == 403, "local gets the read-only commands")
                // Credentials on the socket are still checked.
                #expect(try await harness.control("GET", "/api/v1/guests", auth: .bearer("not-a-configured-token-at-all")).status == 401)
                let entries = try harness.auditEntries()
                #expect(entries.contains { $0["principal"] as? String == "local" && $0["auth"] as? String == "socket" && $0["remote"] as? String == "unix" })

                let binary = try requireValue(CLI.executable)
                let guests = try await Command.run(binary, ["guests", "--json", "--control.address", harness.controlAddressText])
                #expect(guests.status == 0, "\(guests.stderr)")
                #expect(guests.text.contains(#""name" : "host""#))
            }
        }
        try? FileManager.default.removeItem(atPath: socketDirectory)
    }

    @Test func tlsAndBasicAuthFromTheWebConfig() async throws {
        let agent = try await RealAgent.start()
        var options = ControlHarness.Options()
        options.guests = [("host", "unix:\(agent.socketPath)")]
        options.withTLS = true
        try await agent.use { _ in
            try await ControlHarness.with(options) { harness in
                #expect(await harness.waitUntilUp("host"))
                // /metrics: HTTPS, and basic auth as node_exporter does it.
                let anonymous = try await harness.metrics()
                #expect(anonymous.status == 401)
                #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Basic") == true)
                #expect(try await harness.metrics(auth: .basic("alice", "nope")).status == 401)
                let metrics = try await harness.metrics(auth: .basic("alice", ControlHarness.Credential.alicePassword))
                #expect(metrics.status == 200)
                #expect(metrics.text.contains(#"qga_up{guest="host"} 1"#))

                // The control API over HTTPS, with a token and with basic auth.
                #expect(try await harness.control("POST", "/api/v1/guests/host/commands/guest-ping").status == 200)
                #expect(try await harness.control("GET", "/api/v1/guests", auth: .basic("bob", ControlHarness.Credential.bobPassword)).status == 200)

                // The CLI verifies the certificate against the CA it is given.
                let binary = try requireValue(CLI.executable)
                let tokenFile = "\(harness.directory)/token"
                try ControlHarness.Credential.opsToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
                let base = ["call", "--control.address", harness.controlAddressText, "--token-file", tokenFile]
                let verified = try await Command.run(binary, base + ["--ca-file", harness.caFile, "host", "ping"])
                #expect(verified.status == 0, "\(verified.stderr)")
                let unverified = try await Command.run(binary, base + ["host", "ping"])
                #expect(unverified.status == 1, "a certificate from an unknown CA must be refused")
            }
        }
    }
}
