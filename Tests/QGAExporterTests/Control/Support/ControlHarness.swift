import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOCore
import QGATestSupport
import ServiceLifecycle

@testable import QGAExporter

/// The exporter with its control API switched on, assembled by `buildApplication` exactly as
/// `serve` does, serving on real sockets: the metrics listener on a free loopback port, the
/// control API on a free loopback port or a unix socket.
final class ControlHarness: Sendable, Stoppable {
    /// Credentials the harness writes for every test.
    enum Credential {
        static let opsToken = "ops-0123456789abcdef0123456789abcdef"
        static let viewerToken = "viewer-fedcba9876543210fedcba98765432"
        static let alicePassword = "correct horse battery staple"
        static let bobPassword = "bob's own passphrase"
    }

    let exporter: Exporter
    let api: ControlAPI
    let directory: String
    let metricsPort: Int
    /// `tcp` port, or the unix socket path.
    let controlPort: Int?
    let controlSocket: String?
    let tls: Bool
    let auditLogPath: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    struct Options {
        var guests: [(name: String, address: String)] = []
        /// Extra `control:` keys (indented two spaces), e.g. `  freeze_auto_thaw: 1s`.
        var controlYAML = ""
        /// `nil`: TCP on a free loopback port; else `unix:` + this path.
        var unixSocket: String?
        var withTokens = true
        var withBasicAuth = true
        var withTLS = false
        var commandTimeout = "5s"
    }

    static func start(_ options: Options) async throws -> ControlHarness {
        let directory = try TemporaryDirectory.make(prefix: "qga-ctl")
        let tokensPath = "\(directory)/tokens.yml"
        let webConfigPath = "\(directory)/web.yml"
        let auditLogPath = "\(directory)/audit.log"
        try """
        ops: \(Credential.opsToken)
        viewer: \(Credential.viewerToken)
        """.write(toFile: tokensPath, atomically: true, encoding: .utf8)

        var webConfig = ""
        if options.withTLS {
            try await TestCertificate.make(in: directory)
            webConfig += "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        }
        if options.withBasicAuth {
            // Cost 4 keeps tests quick; alice's hash is spelled $2y$ as htpasswd writes it.
            let alice = "$2y$" + Bcrypt.hash(Credential.alicePassword, cost: 4).dropFirst(4)
            let bob = Bcrypt.hash(Credential.bobPassword, cost: 4)
            webConfig += "basic_auth_users:\n  alice: '\(alice)'\n  bob: '\(bob)'\n"
        }
        try webConfig.write(toFile: webConfigPath, atomically: true, encoding: .utf8)

        let listen = options.unixSocket.map { "unix:\($0)" } ?? "127.0.0.1:0"
        var yaml = "guests:\n"
        for guest in options.guests { yaml += "  - {name: \(guest.name), address: \"\(guest.address)\"}\n" }
        if options.guests.isEmpty { yaml = "" }
        yaml += """
        control:
          listen_address: "\(listen)"
          audit_log: \(auditLogPath)
          command_timeout: \(options.commandTimeout)
          allow:
            ops: [read-only, guest-exec, guest-file-read, guest-file-write, guest-fsfreeze-freeze, guest-fsfreeze-freeze-list, guest-fsfreeze-thaw, guest-set-time, guest-shutdown, guest-get-load, guest-no-such-command]
            bob: [guest-get-osinfo]

        """
        if options.withTokens { yaml += "  tokens_file: \(tokensPath)\n" }
        yaml += options.controlYAML
        let configPath = "\(directory)/qga_exporter.yml"
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)

        var overrides = CommandLineOverrides()
        overrides.interval = .seconds(1)
        overrides.timeout = .seconds(2)
        var logger = Logger(label: "qga.control.test")
        logger.logLevel = .warning
        var settings = ServeSettings(source: ConfigSource(file: configPath, overrides: overrides))
        settings.listenAddresses = [try ListenAddress.parse("127.0.0.1:0")]
        settings.webConfigFile = webConfigPath
        settings.renderFreshFor = .zero
        // The production assembly, as `serve` builds it; only the ports are the test's.
        let (ports, portsContinuation) = AsyncStream<(Listener, Int)>.makeStream()
        let application = try buildApplication(settings, logger: logger) { listener, channel in
            portsContinuation.yield((listener, channel.localAddress?.port ?? 0))
        }
        let exporter = application.exporter
        let api = try requireValue(application.control)
        let group = ServiceGroup(configuration: .init(services: application.services.map { .init(service: $0) }, logger: logger))
        let task = Task { try await group.run() }
        var found: [String: Int] = [:]
        for await (listener, port) in ports {
            found[listener == .control ? "control" : "metrics"] = port
            if found.count == 2 { break }
        }
        return ControlHarness(
            exporter: exporter, api: api, directory: directory, metricsPort: found["metrics"] ?? 0,
            controlPort: options.unixSocket == nil ? found["control"] : nil, controlSocket: options.unixSocket,
            tls: options.withTLS, auditLogPath: auditLogPath, group: group, task: task)
    }

    private init(exporter: Exporter, api: ControlAPI, directory: String, metricsPort: Int, controlPort: Int?,
                 controlSocket: String?, tls: Bool, auditLogPath: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.exporter = exporter
        self.api = api
        self.directory = directory
        self.metricsPort = metricsPort
        self.controlPort = controlPort
        self.controlSocket = controlSocket
        self.tls = tls
        self.auditLogPath = auditLogPath
        self.group = group
        self.task = task
    }

    static func with<T>(_ options: Options, _ body: (ControlHarness) async throws -> T) async throws -> T {
        try await start(options).use(body)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        try? FileManager.default.removeItem(atPath: directory)
    }

    var scheme: String { tls ? "https" : "http" }

    /// What the CLI's `--control.address` takes for this listener.
    var controlAddressText: String {
        if let controlSocket { return "unix:\(controlSocket)" }
        return "\(scheme)://127.0.0.1:\(controlPort ?? 0)"
    }

    var caFile: String { "\(directory)/ca.crt" }

    /// Waits until the poller saw `guest` up (its enabled commands are known then).
    func waitUntilUp(_ guest: String, limit: Duration = .seconds(30)) async -> Bool {
        await eventually(within: limit) { exporter.store.report(named: guest)?.state == .up }
    }

    enum Auth: Sendable {
        case none
        case bearer(String)
        case basic(String, String)
        case header(String)
    }

    /// A real HTTP request to the control API, made by curl.
    func control(_ method: String, _ path: String, auth: Auth = .bearer(Credential.opsToken), body: Data? = nil,
                 headers: [String: String] = [:]) async throws -> HTTPResponse {
        var arguments: [String] = []
        if let controlSocket { arguments += ["--unix-socket", controlSocket] }
        let base = controlSocket == nil ? "\(scheme)://127.0.0.1:\(controlPort ?? 0)" : "http://localhost"
        return try await curl(method, base + path, auth: auth, body: body, headers: headers, extra: arguments)
    }

    /// A real HTTP request to the metrics listener.
    func metrics(_ path: String = "/metrics", auth: Auth = .none) async throws -> HTTPResponse {
        try await curl("GET", "\(scheme)://127.0.0.1:\(metricsPort)\(path)", auth: auth, body: nil, headers: [:], extra: [])
    }

    private func curl(_ method: String, _ url: String, auth: Auth, body: Data?, headers: [String: String],
                      extra: [String]) async throws -> HTTPResponse {
        var arguments = ["-s", "-S", "-i", "--path-as-is", "--max-time", "60", "-X", method] + extra
        if tls { arguments += ["--cacert", caFile] }
        var headers = headers
        switch auth {
        case .none: break
        case .bearer(let token): headers["Authorization"] = "Bearer \(token)"
        case .basic(let user, let password): headers["Authorization"] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case .header(let value): headers["Authorization"] = value
        }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if body != nil { arguments += ["--data-binary", "@-", "-H", "Expect:"] }
        arguments.append(url)
        let result = try await Command.run("curl", arguments, stdin: body)
        guard result.status == 0 else { throw HTTP.HTTPError(message: "curl \(url) failed: \(result.stderr)") }
        return try HTTP.parse(result.stdout)
    }

    /// The audit log's entries so far.
    func auditEntries() throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: auditLogPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            try requireValue(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }
}

/// `#require` for use outside a test function body's expression position.
func requireValue<T>(_ value: T?, _ message: String = "missing value") throws -> T {
    guard let value else { throw HTTP.HTTPError(message: message) }
    return value
}

extension HTTPResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    var errorKind: String? { (json["error"] as? [String: Any])?["kind"] as? String }
}
