import Hummingbird

// Kept apart from ControlAddress.swift so the address parser (used by the config parser)
// compiles without Hummingbird: the config fuzz target (fuzz/) builds it on its own.
extension ControlAddress {
    var bindAddress: BindAddress {
        switch self {
        case .unix(let path): .unixDomainSocket(path: path)
        case .tcp(let host, let port): .hostname(host, port: port)
        }
    }
}
