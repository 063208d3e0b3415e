#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOPosix

/// One `LibvirtConnection` per URI, and the worker threads their blocking calls run on.
/// `AgentClient` takes its libvirt connections from here (by default `.shared`).
public final class LibvirtConnectionPool: Sendable {
    /// The process-wide pool; its threads start on first use and live as long as the process.
    public static let shared = LibvirtConnectionPool()

    /// Worker threads for blocking libvirt calls. libvirtd serves at most 5 requests of one client
    /// connection at a time (`max_client_requests`), so more threads than that mostly queue there.
    public static let defaultThreads = 8

    /// libvirt's own rule when no URI is given would probe drivers; the exporter wants QEMU.
    public static let defaultURI = "qemu:///system"

    private let workers: NIOThreadPool
    private let timerLoop: any EventLoop
    private let connections = LockedBox<[String: LibvirtConnection]>([:])

    public init(threads: Int = LibvirtConnectionPool.defaultThreads,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        workers = NIOThreadPool(numberOfThreads: max(1, threads))
        workers.start()
        timerLoop = eventLoopGroup.next()
    }

    /// The configured URI, else `LIBVIRT_DEFAULT_URI`, else `qemu:///system`.
    public static func resolveURI(_ uri: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        if let uri, !uri.isEmpty { return uri }
        if let fromEnvironment = environment["LIBVIRT_DEFAULT_URI"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultURI
    }

    /// The shared connection for `uri` (resolved as `resolveURI` does); it opens on first use.
    public func connection(uri: String?) -> LibvirtConnection {
        let resolved = Self.resolveURI(uri)
        return connections.withLock { connections in
            if let existing = connections[resolved] { return existing }
            let created = LibvirtConnection(uri: resolved, workers: workers, timerLoop: timerLoop)
            connections[resolved] = created
            return created
        }
    }

    /// Closes every connection, then stops the worker threads once their calls have returned
    /// (the shared pool never does).
    public func shutdown() async throws {
        let open = connections.withLock { connections in
            defer { connections.removeAll() }
            return Array(connections.values)
        }
        for connection in open { await connection.close() }
        try await workers.shutdownGracefully()
    }
}
