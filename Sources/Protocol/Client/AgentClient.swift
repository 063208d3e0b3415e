#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import NIOPosix

/// One guest agent: typed and raw commands, each with a deadline, one call at a time.
/// Over a socket it keeps one connection, connects lazily, syncs on connect and after any timeout
/// or garbage, and reconnects after EOF. Over libvirt (`AgentAddress.libvirt`) libvirtd owns the
/// agent's socket and does that itself. Safe to call from many tasks at once; each caller gets
/// its own answer.
public final class AgentClient: Sendable {
    public let address: AgentAddress
    public let options: AgentClientOptions
    private let channel: any AgentChannel
    private let gate = AsyncGate()

    /// `libvirt` is where `.libvirt` addresses get their (shared, lazily opened) connection.
    public init(
        address: AgentAddress,
        options: AgentClientOptions = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        libvirt: LibvirtConnectionPool = .shared,
        logger: Logger = Logger(label: "qga.client")
    ) {
        self.address = address
        self.options = options
        var logger = logger
        logger[metadataKey: "agent"] = "\(address)"
        switch address {
        case .libvirt(let domain, let uri):
            channel = LibvirtAgentChannel(domain: domain, connection: libvirt.connection(uri: uri),
                                          maxReplyBytes: options.maxReplyBytes, logger: logger)
        case .unix, .vsock, .tcp:
            channel = SocketAgentChannel(address: address, options: options, eventLoop: eventLoopGroup.next(), logger: logger)
        }
    }

    /// Whether the channel is open right now (a socket may still need a sync before the next call).
    public var isConnected: Bool { channel.isConnected }

    // MARK: Calls

    public func execute<R: Decodable & Sendable>(
        _ command: String, returning: R.Type, timeout: Duration? = nil
    ) async throws(AgentError) -> R {
        let reply = try await call(command, arguments: nil, timeout: timeout)
        return try reply.decodeResult(R.self, command: command)
    }

    public func execute<A: Encodable & Sendable, R: Decodable & Sendable>(
        _ command: String, arguments: A, returning: R.Type, timeout: Duration? = nil
    ) async throws(AgentError) -> R {
        let encoded = try encodeArguments(arguments, command: command)
        let reply = try await call(command, arguments: encoded, timeout: timeout)
        return try reply.decodeResult(R.self, command: command)
    }

    /// For commands this library has no type for (e.g. `guest-get-load`): the `return` member as is.
    public func executeRaw(
        _ command: String, arguments: JSONValue? = nil, timeout: Duration? = nil
    ) async throws(AgentError) -> JSONValue {
        let encoded = try arguments.map { value throws(AgentError) in try encodeArguments(value, command: command) }
        let reply = try await call(command, arguments: encoded, timeout: timeout)
        return try reply.decodeResult(JSONValue.self, command: command)
    }

    /// Sends `commands` (none takes arguments) one after another, each as soon as the previous
    /// reply is in, holding the agent for the whole sequence: a poll. Over a socket the sequence
    /// runs on the connection's event loop and the caller resumes once at the end, instead of
    /// twice per command. One reply per command, in order, until one fails in the channel
    /// (`AgentError.isTransportFailure`): that one is the last. `clock` stamps each request and
    /// reply (the time collector needs both to place the guest's clock reading).
    public func executeSequence(
        _ commands: [String], timeout: Duration? = nil, clock: @escaping @Sendable () -> Double
    ) async -> [AgentReply] {
        await executeSequence(commands, timeout: timeout, clock: clock) { _, reply in reply }
    }

    /// As above, and `read(index, reply)` turns each reply into what the caller keeps. Over a
    /// socket it runs on the event loop just after the next request is written, so decoding one
    /// reply overlaps the agent's work on the next command instead of adding to the poll's time.
    /// Keep it short and non-blocking: it runs on an I/O thread.
    public func executeSequence<T: Sendable>(
        _ commands: [String], timeout: Duration? = nil, clock: @escaping @Sendable () -> Double,
        read: @escaping @Sendable (_ index: Int, _ reply: AgentReply) -> T
    ) async -> [T] {
        guard let first = commands.first else { return [] }
        do {
            try await gate.enter()
        } catch {
            let now = clock()
            return [read(0, AgentReply(command: first, sentAt: now, receivedAt: now, outcome: .failure(Self.cancelledInQueue)))]
        }
        defer { gate.leave() }
        return await channel.callSequence(commands, timeout: timeout ?? options.commandTimeout, clock: clock, read: read)
    }

    /// For commands that never answer on success (`guest-shutdown`, `guest-suspend-*`): sends the
    /// request and returns once it is out. Waits `options.noReplyGrace` for an error reply, so a
    /// refusal (disabled, unsupported) is still reported; silence or EOF count as success.
    public func executeNoReply(_ command: String, arguments: JSONValue? = nil) async throws(AgentError) {
        let encoded = try arguments.map { value throws(AgentError) in try encodeArguments(value, command: command) }
        let reply = try await serialized(command) { () throws(AgentError) in
            try await channel.callExpectingNoReply(command, arguments: encoded, grace: options.noReplyGrace)
        }
        if let reply, let error = reply.header.error {
            throw AgentError.fromAgent(errorClass: error.errorClass, description: error.desc, command: command)
        }
    }

    /// Forces 0xFF + `guest-sync-delimited` now (normally done automatically when needed).
    public func resync() async throws(AgentError) {
        try await serialized("guest-sync-delimited") { () throws(AgentError) in try await channel.resync() }
    }

    /// Closes the connection; calls in flight fail and later calls fail with `.closed`.
    public func close() async {
        await channel.close()
    }

    // MARK: Machinery

    private func call(_ command: String, arguments: ByteBuffer?, timeout: Duration?) async throws(AgentError)
        -> ReceivedReply
    {
        let deadline = timeout ?? options.commandTimeout
        return try await serialized(command) { () throws(AgentError) in
            try await channel.call(command, arguments: arguments, timeout: deadline)
        }
    }

    private static let cancelledInQueue = AgentError(kind: .timeout, message: "cancelled while waiting for an earlier call to this agent")

    /// Runs `body` holding the gate: the agent serves one request at a time.
    private func serialized<T: Sendable>(
        _ command: String,
        _ body: () async throws(AgentError) -> T
    ) async throws(AgentError) -> T {
        do {
            try await gate.enter()
        } catch {
            throw Self.cancelledInQueue.with(command: command)
        }
        defer { gate.leave() }
        do throws(AgentError) {
            return try await body()
        } catch {
            throw error.with(command: command)
        }
    }

    private func encodeArguments(_ arguments: some Encodable, command: String) throws(AgentError) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try WireJSON.encode(arguments))
        } catch {
            throw AgentError(kind: .invalidArguments, message: "cannot encode arguments: \(error)", command: command)
        }
    }
}
