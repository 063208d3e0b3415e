import QGAProtocol

/// Where the control API listens: a unix socket, or a TCP address that binds loopback unless a
/// host is named. Safer than `--web.listen-address`, where `:port` means every interface.
enum ControlAddress: Sendable, Equatable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// `unix:/run/qga_exporter/control.sock`, `:9958` (127.0.0.1), `127.0.0.1:9958`, `[::1]:9958`,
    /// `0.0.0.0:9958` (every interface, on purpose).
    static func parse(_ text: String) throws(ConfigProblem) -> ControlAddress {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/") else { throw ConfigProblem("unix socket path must be absolute, got \(path.debugDescription)") }
            // sockaddr_un.sun_path holds 108 bytes including the terminator.
            guard path.utf8.count < 108 else { throw ConfigProblem("unix socket path is longer than 107 bytes") }
            return .unix(path: path)
        }
        do {
            let address = try HostPort.parse(Substring(text), emptyHost: "127.0.0.1", form: "unix:/path or host:port (e.g. :9958)")
            return .tcp(host: address.host, port: address.port)
        } catch {
            throw ConfigProblem("control address \(text.debugDescription): \(error.reason)")
        }
    }

    var isUnixSocket: Bool {
        if case .unix = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): HostPort(host: host, port: port).description
        }
    }
}
