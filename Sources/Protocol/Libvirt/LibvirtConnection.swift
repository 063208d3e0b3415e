#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// A running libvirt domain, as discovery sees it.
public struct LibvirtDomain: Sendable, Hashable {
    public var name: String
    /// Canonical UUID text, e.g. "4dea22b3-1d52-d8f3-2516-782e98ab3fa0".
    public var uuid: String
    /// The hypervisor's id while the domain runs.
    public var id: Int?

    public init(name: String, uuid: String, id: Int?) {
        self.name = name
        self.uuid = uuid
        self.id = id
    }
}

/// One read-write connection to libvirt at `uri`, shared by every guest reached through it (a
/// libvirt connection is thread-safe). libvirt calls block, so they run on `workers`, never on
/// an event loop. Opened on first use and reopened when libvirtd went away (restart, upgrade).
public final class LibvirtConnection: Sendable {
    public let uri: String
    private let workers: NIOThreadPool
    private let timerLoop: any EventLoop
    /// Tests give a library that fails to load; nil means `LibvirtAPI.shared`, loaded on a worker.
    private let apiOverride: Result<LibvirtAPI, LibvirtLoadError>?
    /// Our own reference to the open `virConnectPtr`, if any.
    private let handle = LockedBox<ConnectionHandle?>(nil)
    /// How much longer than libvirt's own timeout we wait for a blocking call to come back before
    /// giving up on it (libvirtd hung, or a domain job held by someone else).
    static let callGrace: Duration = .seconds(2)

    init(uri: String, workers: NIOThreadPool, timerLoop: any EventLoop,
         api: Result<LibvirtAPI, LibvirtLoadError>? = nil) {
        self.uri = uri
        self.workers = workers
        self.timerLoop = timerLoop
        apiOverride = api
    }

    deinit {
        // Every libvirt call, this one too, happens on a worker thread: it may block on libvirtd,
        // and libvirt keeps per-thread state (the last error) that belongs on our threads only.
        guard let open = handle.withLock({ $0 }) else { return }
        let api = apiOverride
        workers.submit { state in
            guard case .active = state, case .success(let loaded) = api ?? LibvirtAPI.shared else { return }
            _ = loaded.connectClose(open.pointer)
        }
    }

    /// Closes the connection now (it reopens on the next call). Returns once libvirt has.
    public func close() async {
        let api = apiOverride
        _ = try? await workers.runIfActive { [handle] in
            guard let open = handle.withLock({ current in defer { current = nil }; return current }),
                  case .success(let loaded) = api ?? LibvirtAPI.shared else { return }
            _ = loaded.connectClose(open.pointer)
        }
    }

    /// Running and paused domains (those with a QEMU process).
    public func activeDomains(timeout: Duration = .seconds(30)) async throws(AgentError) -> [LibvirtDomain] {
        try await run("virConnectListAllDomains", deadline: timeout) { api, connection in
            var list: UnsafeMutablePointer<OpaquePointer?>?
            let count = api.connectListAllDomains(connection, &list, LibvirtAPI.listDomainsActive)
            guard count >= 0 else { return .failure(api.lastError(operation: "virConnectListAllDomains")) }
            defer { free(list) }
            var domains: [LibvirtDomain] = []
            for index in 0..<Int(count) {
                guard let domain = list?[index] else { continue }
                defer { _ = api.domainFree(domain) }
                var uuid = [CChar](repeating: 0, count: LibvirtAPI.uuidStringLength)
                guard api.domainGetUUIDString(domain, &uuid) == 0, let name = api.domainGetName(domain) else { continue }
                let id = api.domainGetID(domain)
                let uuidText = String(decoding: uuid.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                domains.append(LibvirtDomain(name: String(cString: name), uuid: uuidText,
                                             id: id == UInt32.max ? nil : Int(id)))
            }
            return .success(domains.sorted { $0.name < $1.name })
        }
    }

    /// `virDomainQemuAgentCommand(domain, request, timeout, 0)`: the agent's whole reply object
    /// as text (`{"return": ...}`). `domain` is a UUID or a name.
    func agentCommand(domain: String, request: String, timeout: Duration) async throws(AgentError) -> String {
        let seconds = Self.libvirtSeconds(timeout)
        return try await run("virDomainQemuAgentCommand", deadline: .seconds(Int(seconds)) + Self.callGrace) { api, connection in
            guard let target = Self.lookup(domain, api: api, connection: connection) else {
                return .failure(api.lastError(operation: "virDomainLookup"))
            }
            defer { _ = api.domainFree(target) }
            guard let reply = api.qemuAgentCommand(target, request, seconds, 0) else {
                return .failure(api.lastError(operation: "virDomainQemuAgentCommand"))
            }
            defer { free(reply) }
            return .success(String(cString: reply))
        }
    }

    /// libvirt takes whole seconds, at least 1 (0 and below are special: no wait, default, block).
    static func libvirtSeconds(_ timeout: Duration) -> Int32 {
        let (seconds, attoseconds) = timeout.components
        let rounded = seconds + (attoseconds > 0 ? 1 : 0)
        return Int32(clamping: max(1, rounded))
    }

    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) else { return false }
            }
        }
        return true
    }

    private static func lookup(_ domain: String, api: LibvirtAPI, connection: OpaquePointer) -> OpaquePointer? {
        isUUID(domain) ? api.domainLookupByUUIDString(connection, domain) : api.domainLookupByName(connection, domain)
    }

    // MARK: Running blocking calls

    /// Runs `body` on a worker thread with an open connection. Gives up after `deadline` (the
    /// worker thread stays blocked until libvirt returns; its result is dropped).
    private func run<T: Sendable>(
        _ operation: String, deadline: Duration,
        _ body: @escaping @Sendable (LibvirtAPI, OpaquePointer) -> Result<T, LibvirtCallError>
    ) async throws(AgentError) -> T {
        let apiOverride = self.apiOverride
        let uri = self.uri
        let result: Result<T, AgentError> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = timerLoop.scheduleTask(in: TimeAmount(deadline)) {
                once.resume(.failure(AgentError(
                    kind: .timeout, message: "libvirt did not return from \(operation) within \(deadline.readable) (\(uri))")))
            }
            workers.submit { state in
                guard case .active = state else {
                    once.resume(.failure(AgentError(kind: .closed, message: "the libvirt connection to \(uri) was shut down")))
                    return
                }
                // The library is loaded on a worker too: its constructors and first calls then run
                // on our threads, never on Swift's cooperative pool or an event loop.
                let outcome: Result<T, AgentError>
                switch apiOverride ?? LibvirtAPI.shared {
                case .success(let api):
                    outcome = self.withOpenConnection(api) { connection in body(api, connection) }
                case .failure(let error):
                    outcome = .failure(AgentError(kind: .connectFailed, message: error.description))
                }
                timer.cancel()
                once.resume(outcome)
            }
        }
        return try result.get()
    }

    /// On a worker thread: opens (or reopens) the connection, holds a reference for `body`.
    /// Opening happens under the lock on purpose: the other workers need the same connection.
    /// The reference keeps the connection alive for `body` even if another worker replaces it.
    private func withOpenConnection<T>(
        _ api: LibvirtAPI, _ body: (OpaquePointer) -> Result<T, LibvirtCallError>
    ) -> Result<T, AgentError> {
        let opened: Result<OpaquePointer, AgentError> = handle.withLock { current in
            if let open = current, api.connectIsAlive(open.pointer) == 1 {
                _ = api.connectRef(open.pointer)
                return .success(open.pointer)
            }
            if let dead = current {
                _ = api.connectClose(dead.pointer)
                current = nil
            }
            guard let pointer = api.connectOpen(uri) else {
                let error = api.lastError(operation: "virConnectOpen")
                var mapped = LibvirtErrorMapper.connectionError(error.message)
                mapped.message = "cannot connect to libvirt at \(uri): \(error.message)"
                return .failure(mapped)
            }
            current = ConnectionHandle(pointer: pointer)
            _ = api.connectRef(pointer)
            return .success(pointer)
        }
        switch opened {
        case .failure(let error):
            return .failure(error)
        case .success(let connection):
            defer { _ = api.connectClose(connection) }  // our extra reference
            return body(connection).mapError { LibvirtErrorMapper.map($0) }
        }
    }
}

/// An open `virConnectPtr`, owned by one `LibvirtConnection`.
private struct ConnectionHandle: @unchecked Sendable {  // only used under the connection's lock or with a reference held
    let pointer: OpaquePointer
}

/// Resumes a continuation once: whichever of the worker and the deadline timer comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: LockedBox<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = LockedBox(continuation)
    }

    func resume(_ value: T) {
        continuation.withLock { pending in
            defer { pending = nil }
            return pending
        }?.resume(returning: value)
    }
}
