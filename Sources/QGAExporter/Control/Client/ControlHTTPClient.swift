import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import QGAProtocol

/// Where a running exporter's control API is, as the CLI is told: `unix:/path`,
/// `http://host:port` or `https://host:port`.
enum ControlEndpoint: Sendable, Equatable {
    case unix(path: String)
    case tcp(host: String, port: Int, tls: Bool)

    static let defaultText = "unix:/run/qga_exporter/control.sock"

    static func parse(_ text: String) throws(ControlClientError) -> ControlEndpoint {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard path.hasPrefix("/") else { throw ControlClientError("unix socket path must be absolute: \(text)") }
            return .unix(path: path)
        }
        let tls: Bool
        let rest: Substring
        if text.hasPrefix("https://") {
            (tls, rest) = (true, text.dropFirst("https://".count))
        } else if text.hasPrefix("http://") {
            (tls, rest) = (false, text.dropFirst("http://".count))
        } else {
            throw ControlClientError("control address must be unix:/path, http://host:port or https://host:port, got \(text.debugDescription)")
        }
        let hostPort = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        do {
            let address = try HostPort.parse(hostPort, allowZero: false)
            return .tcp(host: address.host, port: address.port, tls: tls)
        } catch {
            throw ControlClientError("control address \(text.debugDescription): \(error.reason)")
        }
    }
}

struct ControlClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A one-request-per-connection HTTP/1.1 client for the CLI: enough for the control API over a
/// unix socket, plain TCP or TLS, without pulling in a general HTTP client.
struct ControlHTTPClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    var endpoint: ControlEndpoint
    /// The `Authorization` header value, if any.
    var authorization: String?
    /// For https: a CA bundle to trust instead of the system's, or no verification at all.
    var caFile: String?
    var insecureSkipVerify = false
    var timeout: Duration = .seconds(600)

    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
              contentType: String = "application/json") async throws -> Reply {
        try await withThrowingTaskGroup(of: Reply.self) { group in
            group.addTask { try await exchange(method, path, body: body, contentType: contentType) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ControlClientError("no answer from the control API within \(timeout)")
            }
            let reply = try await group.next()!
            group.cancelAll()
            return reply
        }
    }

    private func exchange(_ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String) async throws -> Reply {
        let channel = try await connect()
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: hostHeader)
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "User-Agent", value: "qga_exporter/\(BuildInfo.version)")
            if let authorization { head.headers.add(name: "Authorization", value: authorization) }
            if let body {
                head.headers.add(name: "Content-Type", value: contentType)
                head.headers.add(name: "Content-Length", value: String(body.count))
            } else if method == .POST || method == .PUT {
                head.headers.add(name: "Content-Length", value: "0")
            }
            try await outbound.write(.head(head))
            if let body, !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status: Int?
            var received: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(let buffer): received += buffer.readableBytesView
                case .end: return Reply(status: status ?? 0, body: received)
                }
            }
            throw ControlClientError("the control API closed the connection before answering")
        }
    }

    private var hostHeader: String {
        switch endpoint {
        case .unix: "localhost"
        case .tcp(let host, let port, _): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(10))
        let sslContext = try tlsContext()
        let serverName: String? = if case .tcp(let host, _, _) = endpoint, !Self.isIPAddress(host) { host } else { nil }
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                if let sslContext {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                }
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        switch endpoint {
        case .unix(let path):
            return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        case .tcp(let host, let port, _):
            return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
        }
    }

    private func tlsContext() throws -> NIOSSLContext? {
        guard case .tcp(_, _, true) = endpoint else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        if insecureSkipVerify { configuration.certificateVerification = .none }
        return try NIOSSLContext(configuration: configuration)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
