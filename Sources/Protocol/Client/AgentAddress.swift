/// Where a guest agent can be reached from the host.
public enum AgentAddress: Sendable, Hashable, CustomStringConvertible {
    /// A unix socket: QEMU's chardev socket, Proxmox's `<vmid>.qga`, libvirt's channel socket.
    case unix(path: String)
    /// AF_VSOCK: `qemu-ga -m vsock-listen -p CID:PORT` in the guest.
    case vsock(cid: UInt32, port: UInt32)
    /// A TCP chardev.
    case tcp(host: String, port: Int)
    /// A libvirt domain (name or UUID) whose agent libvirtd owns, reached through
    /// `virDomainQemuAgentCommand`. `uri` nil: `LIBVIRT_DEFAULT_URI`, else `qemu:///system`.
    case libvirt(domain: String, uri: String?)

    /// Parses "unix:/path", a bare "/path" (unix), "vsock:CID:PORT", "tcp:HOST:PORT",
    /// "tcp:[IPv6]:PORT", "libvirt:DOMAIN" and "libvirt:DOMAIN@URI" (DOMAIN a name or UUID; the
    /// first '@' ends it, so URIs like qemu+ssh://user@host/system keep theirs).
    public init(parsing text: String) throws(AgentAddressError) {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { throw AgentAddressError(text, "address is empty") }
        if trimmed.hasPrefix("/") {
            self = .unix(path: trimmed)
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw AgentAddressError(text, "expected unix:/path, /path, vsock:CID:PORT, tcp:HOST:PORT or libvirt:DOMAIN")
        }
        let scheme = trimmed[..<colon].lowercased()
        let rest = String(trimmed[trimmed.index(after: colon)...])
        switch scheme {
        case "unix":
            guard !rest.isEmpty else { throw AgentAddressError(text, "unix socket path is empty") }
            self = .unix(path: rest)
        case "vsock":
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw AgentAddressError(text, "expected vsock:CID:PORT") }
            guard let cid = UInt32(parts[0]) else {
                throw AgentAddressError(text, "vsock CID '\(parts[0])' is not a number from 0 to \(UInt32.max)")
            }
            guard let port = UInt32(parts[1]) else {
                throw AgentAddressError(text, "vsock port '\(parts[1])' is not a number from 0 to \(UInt32.max)")
            }
            self = .vsock(cid: cid, port: port)
        case "tcp":
            do {
                let address = try HostPort.parse(Substring(rest), allowZero: false, form: "tcp:HOST:PORT")
                self = .tcp(host: address.host, port: address.port)
            } catch {
                throw AgentAddressError(text, error.reason)
            }
        case "libvirt":
            let (domain, uri) = rest.firstIndex(of: "@").map { (String(rest[..<$0]), String(rest[rest.index(after: $0)...])) }
                ?? (rest, nil)
            guard !domain.isEmpty else { throw AgentAddressError(text, "libvirt domain name is empty") }
            if let uri, uri.isEmpty { throw AgentAddressError(text, "libvirt URI after '@' is empty") }
            self = .libvirt(domain: domain, uri: uri)
        default:
            throw AgentAddressError(text, "unknown scheme '\(scheme)': use unix:, vsock:, tcp: or libvirt:")
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): return "unix:\(path)"
        case .vsock(let cid, let port): return "vsock:\(cid):\(port)"
        case .tcp(let host, let port):
            return "tcp:" + HostPort(host: host, port: port).description
        case .libvirt(let domain, let uri):
            return uri.map { "libvirt:\(domain)@\($0)" } ?? "libvirt:\(domain)"
        }
    }
}

/// An agent address that could not be parsed; `description` says what is wrong.
public struct AgentAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public var input: String
    public var reason: String

    init(_ input: String, _ reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String { "invalid agent address '\(input)': \(reason)" }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
