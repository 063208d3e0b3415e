import ArgumentParser
import Hummingbird
import QGAProtocol

/// `--web.listen-address`: `:9957` (all interfaces), `host:9957`, `[::1]:9957`.
struct ListenAddress: Sendable, Equatable {
    var host: String
    var port: Int
    var text: String

    var bindAddress: BindAddress { .hostname(host, port: port) }

    static func parse(_ text: String) throws -> ListenAddress {
        do {
            let address = try HostPort.parse(Substring(text), emptyHost: "0.0.0.0", form: "HOST:PORT or :PORT (e.g. :9957)")
            return ListenAddress(host: address.host, port: address.port, text: text)
        } catch {
            throw ValidationError("listen address \(text.debugDescription): \(error.reason)")
        }
    }
}
