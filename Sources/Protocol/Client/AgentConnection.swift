import Logging
import NIOCore
import NIOPosix

/// One open channel to an agent, with the framing decoder and the reply router installed.
/// Not concurrency-safe by contract: the client allows one round trip at a time.
final class AgentConnection: Sendable {
    let channel: any Channel
    private let router: NIOLoopBound<ReplyRouter>

    private init(channel: any Channel, router: NIOLoopBound<ReplyRouter>) {
        self.channel = channel
        self.router = router
    }

    var isActive: Bool { channel.isActive }

    static func open(
        to address: AgentAddress,
        options: AgentClientOptions,
        on eventLoop: any EventLoop,
        logger: Logger
    ) async throws(AgentError) -> AgentConnection {
        let maxReplyBytes = options.maxReplyBytes
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(options.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ByteToMessageHandler(AgentFrameDecoder(maxReplyBytes: maxReplyBytes)))
                    try operations.addHandler(ReplyRouter(logger: logger))
                }
            }
        let connecting: EventLoopFuture<any Channel>
        switch address {
        case .unix(let path):
            connecting = bootstrap.connect(unixDomainSocketPath: path)
        case .vsock(let cid, let port):
            connecting = bootstrap.connect(
                to: VsockAddress(cid: .init(rawValue: cid), port: .init(rawValue: port))
            )
        case .tcp(let host, let port):
            connecting = bootstrap.connect(host: host, port: port)
        case .libvirt:
            // AgentClient routes these to LibvirtAgentChannel; there is no socket of ours to open.
            throw AgentError(kind: .connectFailed, message: "\(address) is reached through libvirtd, not a socket")
        }
        do {
            let channel = try await connecting.get()
            let router = try await channel.eventLoop.submit {
                NIOLoopBound(
                    try channel.pipeline.syncOperations.handler(type: ReplyRouter.self),
                    eventLoop: channel.eventLoop
                )
            }.get()
            return AgentConnection(channel: channel, router: router)
        } catch {
            throw ConnectErrorClassifier.classify(error, address: address)
        }
    }

    /// Writes `request` and waits for the reply `expectation` describes, at most `deadline`.
    func roundTrip(_ request: ByteBuffer, expecting expectation: ReplyRouter.Expectation, within deadline: Duration)
        async throws(AgentError) -> ReceivedReply
    {
        let channel = self.channel
        let router = self.router
        let loop = channel.eventLoop
        let registered: (generation: UInt64, reply: EventLoopFuture<ReceivedReply>)
        do {
            registered = try await loop.submit {
                // Register before writing, so even an instant reply finds its waiter.
                let registration = router.value.expect(expectation, within: deadline, on: loop)
                channel.writeAndFlush(request).whenFailure { error in
                    router.value.fail(
                        generation: registration.generation,
                        AgentError(kind: .disconnected, message: "cannot send the request: \(error)")
                    )
                }
                return registration
            }.get()
        } catch {
            throw AgentError(kind: .disconnected, message: "connection is gone: \(error)")
        }
        do {
            return try await withTaskCancellationHandler {
                try await registered.reply.get()
            } onCancel: {
                loop.execute {
                    router.value.fail(
                        generation: registered.generation,
                        AgentError(kind: .timeout, message: "cancelled while waiting for the reply")
                    )
                }
            }
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(kind: .disconnected, message: "\(error)")
        }
    }

    func close() async {
        try? await channel.close()
    }
}
