/// `host:port`, `[IPv6]:port` or `:port`: the one parser for every address with a port
/// (agent `tcp:` addresses, the web and control listen addresses, the control client's URL).
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `emptyHost` stands in for `:port` (nil: a host is required). Ports 0...65535 unless
    /// `allowZero` is false (a client must name a real port). `form` names the expected
    /// spelling in messages (e.g. `tcp:HOST:PORT`).
    public static func parse(_ text: Substring, emptyHost: String? = nil, allowZero: Bool = true,
                             form: String = "HOST:PORT") throws(HostPortError) -> HostPort {
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw HostPortError("missing ']' after the IPv6 address") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), !host.isEmpty else { throw HostPortError("expected \(form) with [IPv6] as the host") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw HostPortError("expected \(form)") }
            let named = String(text[..<colon])
            guard !named.contains(":") else { throw HostPortError("write IPv6 hosts in brackets: [\(named)]:PORT") }
            host = named
            portText = text[text.index(after: colon)...]
        }
        let lowest = allowZero ? 0 : 1
        guard let port = Int(portText), lowest...65535 ~= port else {
            throw HostPortError("port '\(portText)' is not a number from \(lowest) to 65535")
        }
        if host.isEmpty {
            guard let emptyHost else { throw HostPortError("the host is empty") }
            return HostPort(host: emptyHost, port: port)
        }
        return HostPort(host: host, port: port)
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why a `host:port` did not parse.
public struct HostPortError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
