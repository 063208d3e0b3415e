import ArgumentParser
import Hummingbird

/// `--web.listen-address`: `:9957` (all interfaces), `host:9957`, `[::1]:9957`.
struct ListenAddress: Sendable, Equatable {
    var host: String
    var port: Int
    var text: String

    var bindAddress: BindAddress { .hostname(host, port: port) }

    static func parse(_ text: String) throws -> ListenAddress {
        guard let colon = text.lastIndex(of: ":") else {
            throw ValidationError("listen address \(text.debugDescription) needs a port, e.g. :9957 or 127.0.0.1:9957")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("listen address \(text.debugDescription) has an invalid port")
        }
        return ListenAddress(host: host, port: port, text: text)
    }
}
