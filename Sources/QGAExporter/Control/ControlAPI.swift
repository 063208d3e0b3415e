import Foundation
import Hummingbird
import Logging
import QGAProtocol
import Synchronization

/// The control API's shared state: the exporter it reaches guests through, who may do what,
/// the audit log and the freeze guard. Routes (Routes/) do the HTTP; this does the checks.
final class ControlAPI: Sendable {
    /// What a (re)load of the config and credential files produces.
    struct Security: Sendable {
        var settings: ControlSettings
        var authenticator: Authenticator
        var policy: CommandPolicy
        var webConfig: WebConfig?
    }

    let exporter: Exporter
    let address: ControlAddress
    let audit: AuditLog
    let freezeGuard: FreezeGuard
    let logger: Logger
    private let defaultWebConfigFile: String?
    private let security: Mutex<Security>

    /// Fails, naming the file and key, when a credential file is bad or a TCP listener would
    /// have no credentials at all.
    init(exporter: Exporter, address: ControlAddress, defaultWebConfigFile: String?, logger: Logger) throws(ConfigError) {
        let settings = exporter.config.control
        let security = try Self.loadSecurity(settings, address: address, defaultWebConfigFile: defaultWebConfigFile, logger: logger)
        self.exporter = exporter
        self.address = address
        self.defaultWebConfigFile = defaultWebConfigFile
        self.logger = logger
        self.security = Mutex(security)
        let audit = try AuditLog(path: settings.auditLog, logger: logger)
        self.audit = audit
        let fleet = exporter.fleet
        freezeGuard = FreezeGuard(logger: logger, audit: audit) { guest, timeout throws(AgentError) in
            guard let client = fleet.client(for: guest) else {
                throw AgentError(kind: .closed, message: "guest \(guest) is no longer configured")
            }
            return try await client.fsfreezeThaw(timeout: timeout)
        }
    }

    static func loadSecurity(_ settings: ControlSettings, address: ControlAddress, defaultWebConfigFile: String?,
                             logger: Logger) throws(ConfigError) -> Security {
        let webConfig = try (settings.webConfigFile ?? defaultWebConfigFile).map { path throws(ConfigError) in
            try WebConfig.load(path: path)
        }
        let tokens = try settings.tokensFile.map { path throws(ConfigError) in try TokenFile.load(path: path) } ?? []
        let authenticator = Authenticator(tokens: tokens, users: webConfig?.basicAuthUsers ?? [:],
                                          acceptsAnonymousLocal: address.isUnixSocket)
        if !address.isUnixSocket && !authenticator.hasCredentials {
            throw ConfigError(file: "control", line: nil, key: "control.listen_address",
                              message: "the control API on \(address) needs credentials: set control.tokens_file or basic_auth_users in the web config (or listen on a unix socket)")
        }
        let known = Set(tokens.map(\.name)).union(webConfig?.basicAuthUsers.keys ?? [:].keys).union([Principal.localName])
        for name in settings.allow.keys.sorted() where !known.contains(name) {
            logger.warning("control.allow names a principal without a token or user", metadata: ["principal": "\(name)"])
        }
        return Security(settings: settings, authenticator: authenticator, policy: CommandPolicy(allow: settings.allow),
                        webConfig: webConfig)
    }

    /// After a config reload: new allowlists, limits and credentials. A bad credential file keeps
    /// the running ones (the listener itself does not move until a restart).
    func reload(_ config: ExporterConfig) {
        do {
            let fresh = try Self.loadSecurity(config.control, address: address, defaultWebConfigFile: defaultWebConfigFile,
                                              logger: logger)
            security.withLock { $0 = fresh }
        } catch {
            logger.error("control API: reload failed, keeping the running credentials", metadata: ["error": "\(error)"])
        }
    }

    var settings: ControlSettings { security.withLock { $0.settings } }
    var authenticator: Authenticator { security.withLock { $0.authenticator } }
    var webConfig: WebConfig? { security.withLock { $0.webConfig } }

    /// The guest's shared client, once the caller may run `command` on it: 404 for a guest we do
    /// not poll, 403 for a command outside the caller's allowlist.
    func authorize(_ context: ControlRequestContext, guest: String, command: String) throws(APIError) -> AgentClient {
        context.note.update {
            $0.guest = guest
            $0.command = command
        }
        let principal = try context.caller
        guard let client = exporter.fleet.client(for: guest) else {
            throw APIError(.notFound, "unknown guest \(guest.debugDescription)", kind: "unknown_guest")
        }
        if CommandPolicy.reserved.contains(command) {
            throw APIError(.badRequest, "\(command) is run by the exporter itself on every connection", kind: "reserved_command")
        }
        let policy = security.withLock { $0.policy }
        guard policy.allows(principal.name, command) else {
            throw APIError(.forbidden, "\(principal.name) may not run \(command)", kind: "not_allowed")
        }
        return client
    }

    /// Runs agent calls, turning their failures into API errors (504 timeout, 502 agent error).
    func agentCall<T: Sendable>(_ context: ControlRequestContext,
                                _ body: () async throws(AgentError) -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            let error = await frozenIfSo(error, context: context)
            context.note.update { $0.errorKind = error.agentClass.map { "\(error.kind.rawValue):\($0)" } ?? error.kind.rawValue }
            throw APIError(error)
        }
    }

    /// qemu-ga 9.1 and later refuse commands while the guest is frozen in the words they use for
    /// a blocked command ("has been disabled: the command is not allowed"), where older agents
    /// said "the agent is in frozen state". A refusal is reported as `frozen` when the guest says
    /// it is, so the caller knows a thaw, not the agent's configuration, is the way out. Not for
    /// the status and the thaw themselves: a frozen agent runs both unless it is told not to.
    /// (The freeze state is no secret: `qga_fsfreeze_status` is on /metrics.)
    private func frozenIfSo(_ error: AgentError, context: ControlRequestContext) async -> AgentError {
        guard error.kind == .disabled,
              ![AgentCommand.fsfreezeStatus.name, AgentCommand.fsfreezeThaw.name].contains(error.command),
              let guest = context.note.current.guest, let client = exporter.fleet.client(for: guest),
              (try? await client.call(.fsfreezeStatus, timeout: .seconds(2))) == .frozen
        else { return error }
        return AgentError(kind: .frozen, message: "\(error.message) (the guest's filesystems are frozen)",
                          agentClass: error.agentClass, command: error.command)
    }

    /// The request body, up to `limit` bytes (413 beyond; checked on Content-Length first).
    func body(_ request: Request, limit: Int) async throws(APIError) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError(.contentTooLarge, "request body of \(length) bytes is larger than the limit of \(limit)")
        }
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "request body is larger than the limit of \(limit) bytes")
        }
    }

    /// A JSON body decoded as `T` (absent or empty: `empty`), with 400 naming what is wrong.
    /// Members `T` does not know are refused, so a typo (`timeout` for `timeout_seconds`) is not
    /// ignored. So is `null`: no member takes it, leaving a member out is how to ask for its
    /// default, and `"mountpoints": null` must not quietly mean "freeze every filesystem".
    func decodeBody<T: RequestBody>(_ request: Request, as type: T.Type, empty: T? = nil) async throws(APIError) -> T {
        let buffer = try await body(request, limit: settings.maxBodyBytes)
        if buffer.readableBytes == 0, let empty { return empty }
        func refuse(_ problem: String) -> APIError {
            APIError(.badRequest, "invalid request body: \(problem)", kind: "bad_arguments")
        }
        guard case .object(let object) = try RequestJSON.parse(buffer, refusing: refuse) else {
            throw refuse("expected a JSON object")
        }
        let keys = object.keys.sorted()
        if let unknown = keys.first(where: { !T.keys.contains($0) }) {
            throw refuse("unknown key \(unknown.debugDescription) (known: \(T.keys.sorted().joined(separator: ", ")))")
        }
        if let null = object.members.filter({ $0.value == .null }).map(\.key).sorted().first {
            throw refuse("\(null.debugDescription) is null; leave it out for the default")
        }
        do {
            return try JSONValueDecoder.decode(T.self, from: .object(object))
        } catch let error as DecodingError {
            throw refuse(DecodingProblem.describe(error))
        } catch {
            throw refuse("\(error)")
        }
    }
}

/// A typed request body: its JSON keys, for refusing unknown ones.
protocol RequestBody: Decodable, Sendable {
    static var keys: Set<String> { get }
}

/// Short, caller-facing words for a DecodingError.
enum DecodingProblem {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
        case .keyNotFound(let key, let context): return "missing \(key.stringValue.debugDescription)\(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "expected \(type)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
