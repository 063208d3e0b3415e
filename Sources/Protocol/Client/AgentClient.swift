#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import NIOPosix

/// One guest agent: typed and raw commands, each with a deadline, one call at a time.
/// Over a socket every call (or every `withSession`) is a session of its own by default: connect,
/// 0xFF + `guest-sync-delimited`, the commands, close (`ConnectionMode`). Over libvirt
/// (`AgentAddress.libvirt`) libvirtd owns the agent's socket and does that itself. Safe to call
/// from many tasks at once; each caller gets its own answer, in turn.
public final class AgentClient: Sendable {
    public let address: AgentAddress
    public let options: AgentClientOptions
    private let channel: any AgentChannel
    private let gate = AsyncGate()

    /// The clients whose session the current task holds, so calls inside `withSession` neither
    /// queue behind their own session nor end it.
    @TaskLocal private static var heldSessions: Set<ObjectIdentifier> = []

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

    /// Runs `command` (`.getOSInfo`, `.fileRead`, ...: `AgentCommand`) with `arguments` and
    /// returns its reply, decoded as the command says. A command that never answers on success
    /// (`NoReply`) returns once it is sent without a refusal (waiting `options.noReplyGrace`,
    /// not `timeout`).
    @discardableResult
    public func call<Arguments, Result>(
        _ command: AgentCommand<Arguments, Result>, _ arguments: Arguments, timeout: Duration? = nil
    ) async throws(AgentError) -> Result {
        // No `arguments` member at all for a command that takes none, as the agent expects.
        let encoded = try arguments is NoArguments ? nil : encodeArguments(arguments, command: command.name)
        if let sent = NoReply() as? Result {  // shutdown, suspend: success is silence
            try await sendExpectingNoReply(command.name, arguments: encoded)
            return sent
        }
        let reply = try await request(command.name, arguments: encoded, timeout: timeout)
        return try reply.decodeResult(Result.self, command: command.name)
    }

    /// Runs `command`, which takes no arguments.
    @discardableResult
    public func call<Result>(_ command: AgentCommand<NoArguments, Result>, timeout: Duration? = nil)
        async throws(AgentError) -> Result
    {
        try await call(command, NoArguments(), timeout: timeout)
    }

    /// Any command by name (e.g. `guest-get-load`, which this library has no type for): the
    /// `return` member as is.
    public func executeRaw(
        _ command: String, arguments: JSONValue? = nil, timeout: Duration? = nil
    ) async throws(AgentError) -> JSONValue {
        let encoded = try arguments.map { value throws(AgentError) in try encodeArguments(value, command: command) }
        let reply = try await request(command, arguments: encoded, timeout: timeout)
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
    /// `checkpoint`, if given, names a reply that is read before the next request goes out and
    /// decides whether the sequence goes on.
    public func executeSequence<T: Sendable>(
        _ commands: [String], timeout: Duration? = nil, clock: @escaping @Sendable () -> Double,
        checkpoint: SequenceCheckpoint<T>? = nil,
        read: @escaping @Sendable (_ index: Int, _ reply: AgentReply) -> T
    ) async -> [T] {
        guard let first = commands.first else { return [] }
        let deadline = timeout ?? options.commandTimeout
        let outcome = await serialized(first) { () throws(AgentError) in
            await channel.callSequence(commands, timeout: deadline, clock: clock, checkpoint: checkpoint, read: read)
        }
        switch outcome {
        case .success(let results): return results
        case .failure(let error):
            let now = clock()
            return [read(0, AgentReply(command: first, sentAt: now, receivedAt: now, outcome: .failure(error)))]
        }
    }

    /// Runs `body` as one session with the agent: its calls go out one after another with no
    /// other caller in between, over one connection that (in `ConnectionMode.short`) closes when
    /// `body` returns. A poll is one session; so is each control call. Other callers queue.
    /// Throws only when the task is cancelled while waiting for its turn.
    public func withSession<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async -> T
    ) async throws(AgentError) -> T {
        let me = ObjectIdentifier(self)
        if Self.heldSessions.contains(me) { return await body() }
        do {
            try await gate.enter()
        } catch {
            throw Self.cancelledInQueue
        }
        let result = await Self.$heldSessions.withValue(Self.heldSessions.union([me])) { await body() }
        await channel.endSession()
        gate.leave()
        return result
    }

    /// For commands that never answer on success (`guest-shutdown`, `guest-suspend-*`): sends the
    /// request and returns once it is out. Waits `options.noReplyGrace` for an error reply, so a
    /// refusal (disabled, unsupported) is still reported; silence or EOF count as success.
    public func executeNoReply(_ command: String, arguments: JSONValue? = nil) async throws(AgentError) {
        let encoded = try arguments.map { value throws(AgentError) in try encodeArguments(value, command: command) }
        try await sendExpectingNoReply(command, arguments: encoded)
    }

    /// Forces 0xFF + `guest-sync-delimited` now (normally done automatically when needed).
    public func resync() async throws(AgentError) {
        try await serialized(AgentCommand.syncDelimited.name) { () throws(AgentError) in try await channel.resync() }.get()
    }

    /// Closes the connection; calls in flight fail and later calls fail with `.closed`.
    public func close() async {
        await channel.close()
    }

    // MARK: Machinery

    /// One request and its reply; `arguments` already encoded (nil: no `arguments` member).
    private func request(_ command: String, arguments: ByteBuffer?, timeout: Duration?) async throws(AgentError)
        -> ReceivedReply
    {
        let deadline = timeout ?? options.commandTimeout
        return try await serialized(command) { () throws(AgentError) in
            try await channel.call(command, arguments: arguments, timeout: deadline)
        }.get()
    }

    /// Sends a command that never answers on success; throws only the agent's refusal.
    private func sendExpectingNoReply(_ command: String, arguments: ByteBuffer?) async throws(AgentError) {
        let reply = try await serialized(command) { () throws(AgentError) in
            try await channel.callExpectingNoReply(command, arguments: arguments, grace: options.noReplyGrace)
        }.get()
        if let reply, let error = reply.header.error {
            throw AgentError.fromAgent(errorClass: error.errorClass, description: error.desc, command: command)
        }
    }

    private static let cancelledInQueue = AgentError(kind: .timeout, message: "cancelled while waiting for an earlier call to this agent")

    /// Runs `body` holding the gate (the agent serves one request at a time) as a session of
    /// its own, or inside the session the task already holds.
    private func serialized<T: Sendable>(
        _ command: String,
        _ body: () async throws(AgentError) -> T
    ) async -> Result<T, AgentError> {
        let outcome: Result<T, AgentError>
        do throws(AgentError) {
            outcome = try await withSession { () async -> Result<T, AgentError> in
                do throws(AgentError) { return .success(try await body()) } catch { return .failure(error) }
            }
        } catch {
            outcome = .failure(error)
        }
        return outcome.mapError { $0.with(command: command) }
    }

    private func encodeArguments(_ arguments: some Encodable, command: String) throws(AgentError) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try WireJSON.encode(arguments))
        } catch {
            throw AgentError(kind: .invalidArguments, message: "cannot encode arguments: \(error)", command: command)
        }
    }
}
