import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

enum ControlServer {
    /// Socket files are created 0660: the owner and the group the operator gives them.
    static let socketMode: mode_t = 0o660

    /// `limits` are the `--web.*` limits (connections, read/write deadlines, header size), as on
    /// the metrics listener; the body cap is raised to twice the largest body the API takes
    /// (`control.max_body_bytes`, file uploads `control.max_file_bytes`) so that the API itself
    /// answers 413 to a body just over its limit, and only a flood is cut off.
    static func service(api: ControlAPI, limits: WebLimits = WebLimits(), logger: Logger,
                        onRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) throws(ConfigError) -> ControlService {
        var tls = api.webConfig?.tls
        switch api.address {
        case .unix(let path):
            if tls != nil { logger.info("control API on a unix socket: TLS from the web config is not used there") }
            tls = nil
            try removeStaleSocket(path)
        case .tcp(let host, _):
            if tls == nil && !["127.0.0.1", "::1", "localhost"].contains(host) {
                logger.warning("control API listens beyond loopback without TLS: credentials travel in clear text",
                               metadata: ["address": "\(api.address)"])
            }
        }
        var controlLimits = limits
        controlLimits.maxRequestBodyBytes = max(limits.maxRequestBodyBytes,
                                                2 * max(api.settings.maxBodyBytes, api.settings.maxFileBytes))
        let address = api.address
        let usesTLS = tls != nil
        let application = Application(
            router: ControlRoutes.router(api: api),
            server: try TLSSetup.server(tls, http1: controlLimits.http1Configuration),
            configuration: controlLimits.applicationConfiguration(address: address.bindAddress, serverName: "qga_exporter", logger: logger),
            onServerRunning: { channel in
                if case .unix(let path) = address { chmod(path, socketMode) }
                logger.info("control API listening", metadata: [
                    "address": "\(address)", "tls": "\(usesTLS)",
                ])
                await onRunning(channel)
            },
            logger: logger)
        return ControlService(api: api, application: application)
    }

    /// A socket file left by an earlier run blocks the bind; one somebody still listens on is an
    /// error, not something to delete.
    private static func removeStaleSocket(_ path: String) throws(ConfigError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        guard attributes[.type] as? FileAttributeType == .typeSocket else {
            throw ConfigError(file: path, line: nil, key: "control.listen_address", message: "exists and is not a socket")
        }
        if let channel = try? ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path).wait() {
            try? channel.close().wait()
            throw ConfigError(file: path, line: nil, key: "control.listen_address", message: "another process is listening on this socket")
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
