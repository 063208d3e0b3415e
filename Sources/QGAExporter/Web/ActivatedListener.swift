import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A web listener on a socket that systemd bound and passed us (`--web.systemd-socket`), serving
/// the same router, limits, TLS and auth as a listener we bind ourselves. Hummingbird binds its
/// own sockets only, so this adopts the descriptor with NIO and hands each connection to the
/// same HTTP channel Hummingbird would use.
struct ActivatedListener: Service {
    let descriptor: CInt
    let responder: RouterResponder<BasicRequestContext>
    let buildChannel: TLSSetup.ChannelBuilder
    let limits: WebLimits
    let logger: Logger
    let onListening: @Sendable (any Channel) async -> Void

    init(descriptor: CInt, router: Router<BasicRequestContext>, setup: ListenerSetup, limits: WebLimits, logger: Logger,
         onListening: @escaping @Sendable (any Channel) async -> Void) {
        self.descriptor = descriptor
        self.responder = router.buildResponder()
        self.buildChannel = setup.webChannel
        self.limits = limits
        self.logger = logger
        self.onListening = onListening
    }

    func run() async throws {
        try await serve(try buildChannel(Self.respond(with: responder, logger: logger)))
    }

    /// Opened on the concrete child channel type (plain HTTP/1 or TLS).
    private func serve<Child: ServerChildChannel>(_ child: Child) async throws {
        let quiescing = ServerQuiescingHelper(group: MultiThreadedEventLoopGroup.singleton)
        let (maxConnections, logger) = (limits.maxConnections, logger)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connections = MaximumAvailableConnections(maxConnections, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(AvailableConnectionsChannelHandler(delegate: connections))
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)  // as Hummingbird's own listener
            .bind(NIOBSDSocket.Handle(descriptor)) { channel in child.setup(channel: channel, logger: logger) }
        // NIO calls listen() again on a socket it adopts, with its own backlog of 128, and the
        // socket is systemd's: give it back systemd's default (Backlog=SOMAXCONN), so scrapes
        // that arrive while the service restarts still queue as they would without us.
        if listen(descriptor, SOMAXCONN) != 0 {
            logger.warning("could not restore the socket's backlog", metadata: ["errno": "\(errno)"])
        }
        logger.info("listening", metadata: ["address": "\(server.channel.localAddress?.description ?? "fd \(descriptor)")",
                                            "from": "systemd"])
        await onListening(server.channel)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await child.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("listener stopped", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            // Stop accepting, let requests in flight finish, then close: as Hummingbird's server.
            quiescing.initiateShutdown(promise: nil)
        }
    }

    /// What Hummingbird's `Application` does for each request: a context, the router, a 500 for
    /// an error the router let through, and the Date and Server headers.
    static func respond(with responder: some HTTPResponder<BasicRequestContext>, logger: Logger)
        -> @Sendable (Request, consuming ResponseWriter, any Channel) async throws -> Void
    {
        { request, writer, channel in
            let context = BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await responder.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                logger.debug("unhandled error", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError)
            }
            response.headers[.date] = HTTPDate.now()
            response.headers[.server] = "qga_exporter"
            do {
                try await writer.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                // Rethrown as is, it would make the channel write a 400 after this response
                // began; any other error just closes the connection.
                throw ParseErrorWhileWritingResponse()
            }
        }
    }
}

/// The request turned out malformed while its response was being written.
struct ParseErrorWhileWritingResponse: Error {}

/// The `Date` header's IMF-fixdate ("Wed, 02 Dec 2026 21:00:00 GMT").
enum HTTPDate {
    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()
    private static let lock = NSLock()

    static func now() -> String {
        lock.withLock { formatter.string(from: Date()) }
    }
}
