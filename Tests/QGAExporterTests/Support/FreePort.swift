import NIOCore
import NIOPosix

/// A TCP port nobody listens on right now (bind to 0, read it back, close), through NIO rather
/// than raw sockaddr structs.
enum FreePort {
    /// Whether something accepts TCP connections on the loopback port.
    static func isListening(_ port: Int) -> Bool {
        guard let channel = try? ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).wait() else { return false }
        try? channel.close().wait()
        return true
    }

    static func loopback() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw FreePortError() }
        return port
    }
}

struct FreePortError: Error {}
