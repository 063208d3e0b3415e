import Foundation
import Synchronization
import HTTPTypes
import HummingbirdBcrypt
import Logging
import Testing

@testable import QGAExporter
@testable import QGAProtocol

/// The pure parts of the control API: addresses, allowlists, credentials files, comparisons.
@Suite struct ControlUnitTests {
    @Test func controlAddresses() throws {
        #expect(try ControlAddress.parse(":9958") == .tcp(host: "127.0.0.1", port: 9958), ":port is loopback only")
        #expect(try ControlAddress.parse("0.0.0.0:9958") == .tcp(host: "0.0.0.0", port: 9958))
        #expect(try ControlAddress.parse("[::1]:9958") == .tcp(host: "::1", port: 9958))
        #expect(try ControlAddress.parse("unix:/run/qga/control.sock") == .unix(path: "/run/qga/control.sock"))
        #expect(throws: ConfigProblem.self) { try ControlAddress.parse("unix:relative.sock") }
        #expect(throws: ConfigProblem.self) { try ControlAddress.parse("unix:/" + String(repeating: "d", count: 120)) }
        #expect(throws: ConfigProblem.self) { try ControlAddress.parse("9958") }
        #expect(throws: ConfigProblem.self) { try ControlAddress.parse("host:99999") }
        #expect(ControlAddress.tcp(host: "::1", port: 1).description == "[::1]:1")
    }

    @Test func allowlists() throws {
        let policy = CommandPolicy(allow: [
            "backup": ["read-only", "guest-fsfreeze-freeze", "guest-fsfreeze-thaw"],
            "admin": ["*"],
            "narrow": ["guest-get-osinfo"],
        ])
        #expect(policy.allows("unlisted", "guest-get-fsinfo"))
        #expect(policy.allows("unlisted", "guest-ssh-get-authorized-keys"))
        #expect(!policy.allows("unlisted", "guest-exec"))
        #expect(!policy.allows("unlisted", "guest-exec-status"), "exec-status reaps processes: not read-only")
        #expect(!policy.allows("unlisted", "guest-file-read"))
        #expect(policy.allows("backup", "guest-fsfreeze-freeze") && policy.allows("backup", "guest-get-disks"))
        #expect(!policy.allows("backup", "guest-set-time"))
        #expect(policy.allows("admin", "guest-set-user-password"))
        #expect(!policy.allows("admin", "guest-sync-delimited"), "the sync commands are the client's")
        #expect(policy.allows("narrow", "guest-get-osinfo") && !policy.allows("narrow", "guest-ping"))
        for command in AgentCommands.names(.readOnly) where !CommandPolicy.reserved.contains(command) {
            #expect(policy.allows("unlisted", command))
        }

        try CommandPolicy.checkEntries(["*", "read-only", "guest-get-load"])
        #expect(throws: ConfigProblem.self) { try CommandPolicy.checkEntries(["ping"]) }
        #expect(throws: ConfigProblem.self) { try CommandPolicy.checkEntries(["guest-sync"]) }
        #expect(throws: ConfigProblem.self) { try CommandPolicy.checkEntries(["guest-Exec"]) }
    }

    @Test func controlSectionErrorsNameFileLineAndKey() throws {
        let good = try ConfigLoader.parse("""
        control:
          listen_address: unix:/run/qga_exporter/control.sock
          command_timeout: 10s
          freeze_auto_thaw: 2m
          max_file_bytes: 1024
          allow:
            backup: [read-only, guest-fsfreeze-freeze]
        """, file: "c.yml")
        #expect(good.control.listenAddress == "unix:/run/qga_exporter/control.sock")
        #expect(good.control.commandTimeout == .seconds(10))
        #expect(good.control.freezeAutoThaw == .seconds(120))
        #expect(good.control.allow["backup"] == ["read-only", "guest-fsfreeze-freeze"])

        let cases: [(String, String)] = [
            ("control:\n  listen_address: \"9958\"\n", "c.yml:2: control.listen_address:"),
            ("control:\n  allow:\n    bob: [exec]\n", "c.yml:3: control.allow.bob:"),
            ("control:\n  freeze_auto_thaw: 10ms\n", "c.yml:2: control.freeze_auto_thaw:"),
            ("control:\n  tokens: x\n", "c.yml:2: control.tokens: unknown key"),
        ]
        for (yaml, prefix) in cases {
            do {
                _ = try ConfigLoader.parse(yaml, file: "c.yml")
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect(error.description.hasPrefix(prefix), "\(error.description)")
            }
        }
    }

    @Test func tokenFiles() throws {
        let tokens = try TokenFile.parse("backup: 0123456789abcdef0123\nadmin: fedcba9876543210fedc\n", file: "t.yml")
        #expect(tokens.map(\.name) == ["backup", "admin"])
        #expect(throws: ConfigError.self) { try TokenFile.parse("short: abc\n", file: "t.yml") }
        #expect(throws: ConfigError.self) { try TokenFile.parse("a: 0123456789abcdef0123\nb: 0123456789abcdef0123\n", file: "t.yml") }
        #expect(throws: ConfigError.self) { try TokenFile.parse("a: \"0123456789 abcdef0123\"\n", file: "t.yml") }
    }

    @Test func webConfigs() throws {
        let hash = "$2y$10$" + String(repeating: "a", count: 53)
        let config = try WebConfig.parse("""
        tls_server_config:
          cert_file: server.crt
          key_file: /etc/keys/server.key
          min_version: TLS13
        basic_auth_users:
          alice: '\(hash)'
        """, file: "/etc/qga/web.yml")
        #expect(config.tls?.certFile == "/etc/qga/server.crt", "relative to the web config, as exporter-toolkit")
        #expect(config.tls?.keyFile == "/etc/keys/server.key")
        #expect(config.tls?.minVersion == "TLS13")
        #expect(config.basicAuthUsers["alice"] == hash)
        #expect(BcryptHash.normalized(hash).hasPrefix("$2b$10$"))

        let bad = [
            "basic_auth_users:\n  alice: plaintext\n",
            "tls_server_config:\n  cert_file: a.crt\n",
            "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequestClientCert\n",
            "http_server_config:\n  http2: false\n",
        ]
        for yaml in bad {
            #expect(throws: ConfigError.self, "\(yaml)") { try WebConfig.parse(yaml, file: "w.yml") }
        }
    }

    @Test func constantTimeComparison() {
        let secret = Array("0123456789abcdef".utf8)
        #expect(ConstantTime.equals(Array("0123456789abcdef".utf8), secret))
        #expect(!ConstantTime.equals(Array("0123456789abcdeF".utf8), secret))
        #expect(!ConstantTime.equals(Array("0123456789abcde".utf8), secret))
        #expect(!ConstantTime.equals(Array("0123456789abcdef0".utf8), secret))
        #expect(!ConstantTime.equals([UInt8](), secret))
        #expect(ConstantTime.equals([UInt8](), []))
    }

    @Test func authenticator() async throws {
        let hash = Bcrypt.hash("pw", cost: 4)
        let tokenAuth = Authenticator(tokens: [("ops", "0123456789abcdef0123")], users: ["alice": hash],
                                      acceptsAnonymousLocal: false)
        #expect(await tokenAuth.authenticate(authorization: "Bearer 0123456789abcdef0123") == .authenticated(Principal(name: "ops", method: .token)))
        #expect(await tokenAuth.authenticate(authorization: "bearer   0123456789abcdef0123") == .authenticated(Principal(name: "ops", method: .token)))
        let basic = "Basic " + Data("alice:pw".utf8).base64EncodedString()
        #expect(await tokenAuth.authenticate(authorization: basic) == .authenticated(Principal(name: "alice", method: .basic)))
        let wrong = "Basic " + Data("alice:pw2".utf8).base64EncodedString()
        #expect(await tokenAuth.authenticate(authorization: wrong) == .denied(reason: "invalid user or password", claimed: "alice"))
        #expect(await tokenAuth.authenticate(authorization: "Basic !!!") == .denied(reason: "malformed basic credentials", claimed: nil))
        #expect(await tokenAuth.authenticate(authorization: nil) == .denied(reason: "authentication required", claimed: nil))
        #expect(tokenAuth.challenges.count == 2)

        let local = Authenticator(tokens: [], users: [:], acceptsAnonymousLocal: true)
        #expect(await local.authenticate(authorization: nil) == .authenticated(Principal(name: "local", method: .socket)))
        #expect(await local.authenticate(authorization: "Bearer whatever-it-is-long") == .denied(reason: "invalid token", claimed: nil))
    }

    /// A scraper with basic auth sends the same credentials every 15 s: bcrypt runs once for
    /// them, while every wrong password (and an unknown user) still costs a full run.
    @Test func basicAuthRunsBcryptOncePerGoodCredentialAndAlwaysForBadOnes() async throws {
        let calls = Counter()
        let auth = Authenticator(tokens: [], users: ["alice": Bcrypt.hash("pw", cost: 4), "bob": Bcrypt.hash("pb", cost: 4)],
                                 acceptsAnonymousLocal: false) { password, hash in
            calls.next()
            return Bcrypt.verify(password, hash: hash)
        }
        func basic(_ credentials: String) -> String { "Basic " + Data(credentials.utf8).base64EncodedString() }
        for _ in 0..<5 {
            #expect(await auth.authenticate(authorization: basic("alice:pw")) == .authenticated(Principal(name: "alice", method: .basic)))
        }
        #expect(calls.value == 1)
        for _ in 0..<3 {
            #expect(await auth.authenticate(authorization: basic("alice:wrong")) == .denied(reason: "invalid user or password", claimed: "alice"))
        }
        #expect(calls.value == 4, "a wrong password is checked every time")
        #expect(await auth.authenticate(authorization: basic("mallory:pw")) == .denied(reason: "invalid user or password", claimed: "mallory"))
        #expect(calls.value == 5, "an unknown user still costs a run (the decoy hash)")
        #expect(await auth.authenticate(authorization: basic("bob:pw")) == .denied(reason: "invalid user or password", claimed: "bob"),
                "alice's remembered password is not bob's")
        #expect(await auth.authenticate(authorization: basic("bob:pb")) == .authenticated(Principal(name: "bob", method: .basic)))
        #expect(calls.value == 7)
    }

    @Test func tcpListenerWithoutCredentialsRefusesToStart() throws {
        let exporter = try Exporter(source: ConfigSource(file: nil, overrides: CommandLineOverrides()), logger: Logger(label: "t"))
        #expect(throws: ConfigError.self) {
            _ = try ControlAPI(exporter: exporter, address: .tcp(host: "127.0.0.1", port: 0), defaultWebConfigFile: nil,
                               logger: Logger(label: "t"))
        }
        _ = try ControlAPI(exporter: exporter, address: .unix(path: "/tmp/none.sock"), defaultWebConfigFile: nil,
                           logger: Logger(label: "t"))
    }

    @Test func routeTableHelpers() throws {
        #expect(ControlRoutes.hummingbirdPath("/api/v1/guests/{guest}/commands/{command}") == "/api/v1/guests/:guest/commands/:command")
        #expect(ControlRoutes.methods(forPath: "/api/v1/guests/vm/file").map(\.rawValue).sorted() == ["GET", "PUT"])
        #expect(ControlRoutes.methods(forPath: "/api/v1/guests/vm/").map(\.rawValue) == ["GET"])
        #expect(ControlRoutes.methods(forPath: "/api/v1/guests/vm/commands").isEmpty)
        #expect(ControlRoutes.methods(forPath: "/api/v1/nothing").isEmpty)
        let paths = ControlRoutes.all.map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(paths).count == paths.count)
    }

    @Test func cliEndpointsAndOutput() throws {
        #expect(try ControlEndpoint.parse("unix:/run/x.sock") == .unix(path: "/run/x.sock"))
        #expect(try ControlEndpoint.parse("https://[::1]:9958") == .tcp(host: "::1", port: 9958, tls: true))
        #expect(try ControlEndpoint.parse("http://127.0.0.1:9958/") == .tcp(host: "127.0.0.1", port: 9958, tls: false))
        #expect(throws: ControlClientError.self) { try ControlEndpoint.parse("127.0.0.1:9958") }
        #expect(throws: ControlClientError.self) { try ControlEndpoint.parse("http://host") }
        #expect(CLIOutput.commandName("ping") == "guest-ping")
        #expect(CLIOutput.commandName("guest-ping") == "guest-ping")
        #expect(CLIOutput.pretty(Array(#"{"return":{"big":18446744073709551615}}"#.utf8)).contains("18446744073709551615"),
                "uint64 values stay exact")
        let table = GuestsCommand.table([["name": "web1", "state": "up", "agent_version": "7.2.0", "address": "unix:/x"]])
        #expect(table == "NAME  STATE  AGENT  ADDRESS  ERROR\nweb1  up     7.2.0  unix:/x  -\n")
    }

    @Test func execResultDecoding() {
        let status = GuestExecStatus(exited: true, exitCode: 0, outData: Data("hi\n".utf8).base64EncodedString(),
                                     errData: Data([0xFF]).base64EncodedString(), outTruncated: true)
        let json = ExecRoute.describe(status, pid: 7)
        #expect(json["stdout"] == .string("hi\n"))
        #expect(json["stdout_truncated"] == .bool(true))
        #expect(json["stderr"] == nil)
        #expect(json["stderr_base64"] == .string("/w=="))
        #expect(json["exit_code"] == .int(0))
    }
}

extension ControlUnitTests {
    /// Every key a typed body accepts is one its decoder reads: a value of the wrong type under
    /// that key must fail to decode (a listed key the decoder ignored would pass silently).
    @Test func requestBodyKeysAreTheDecodedKeys() throws {
        func decodesWithWrongType<T: RequestBody>(_ type: T.Type, key: String, base: [String: Any]) -> Bool {
            var object = base
            object[key] = ["not": "this type"]
            let data = try! JSONSerialization.data(withJSONObject: object)
            return (try? JSONDecoder().decode(T.self, from: data)) != nil
        }
        for key in ExecRoute.Body.keys {
            #expect(!decodesWithWrongType(ExecRoute.Body.self, key: key, base: ["path": "/bin/true"]), "\(key)")
        }
        for key in FreezeRoutes.FreezeBody.keys {
            #expect(!decodesWithWrongType(FreezeRoutes.FreezeBody.self, key: key, base: [:]), "\(key)")
        }
    }
}

/// Counts calls from any thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func next() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
