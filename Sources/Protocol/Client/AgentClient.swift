#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import NIOPosix

/// One connection per guest; calls are serialized (one outstanding request), each with a deadline.
/// Connects lazily on the first call, syncs on connect and after any timeout or garbage, and
/// reconnects after EOF. Safe to call from many tasks at once; each caller gets its own answer.
public final class AgentClient: Sendable {
    public let address: AgentAddress
    public let options: AgentClientOptions
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let gate = AsyncGate()
    private let state: LockedBox<State>

    private struct State {
        var connection: AgentConnection?
        /// Set on connect and after anything that may leave stale output in the channel.
        var needsSync = true
        var closed = false
        var nextRequestID: Int64
    }

    public init(
        address: AgentAddress,
        options: AgentClientOptions = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "qga.client")
    ) {
        self.address = address
        self.options = options
        self.eventLoop = eventLoopGroup.next()
        var logger = logger
        logger[metadataKey: "agent"] = "\(address)"
        self.logger = logger
        // A random start keeps ids unique across client instances that share an agent over time.
        state = LockedBox(State(nextRequestID: Int64.random(in: 1...(1 << 52))))
    }

    deinit {
        state.withLock { $0.connection }?.channel.close(promise: nil)
    }

    /// Whether a connection is open right now (it may still need a sync before the next call).
    public var isConnected: Bool {
        state.withLock { $0.connection?.isActive ?? false }
    }

    // MARK: Calls

    public func execute<R: Decodable & Sendable>(
        _ command: String, returning: R.Type, timeout: Duration? = nil
    ) async throws(AgentError) -> R {
        let reply = try await call(command, arguments: nil, timeout: timeout)
        return try decodeResult(R.self, from: reply, command: command)
    }

    public func execute<A: Encodable & Sendable, R: Decodable & Sendable>(
        _ command: String, arguments: A, returning: R.Type, timeout: Duration? = nil
    ) async throws(AgentError) -> R {
        let encoded = try encodeArguments(arguments, command: command)
        let reply = try await call(command, arguments: encoded, timeout: timeout)
        return try decodeResult(R.self, from: reply, command: command)
    }

    /// For commands this library has no type for (e.g. `guest-get-load`): the `return` member as is.
    public func executeRaw(
        _ command: String, arguments: JSONValue? = nil, timeout: Duration? = nil
    ) async throws(AgentError) -> JSONValue {
        let encoded = try arguments.map { value throws(AgentError) in try encodeArguments(value, command: command) }
        let reply = try await call(command, arguments: encoded, timeout: timeout)
        return try decodeResult(JSONValue.self, from: reply, command: command)
    }

    /// For commands that never answer on success (`guest-shutdown`, `guest-suspend-*`): sends the
    /// request and returns once it is out. Waits `options.noReplyGrace` for an error reply, so a
    /// refusal (disabled, unsupported) is still reported; silence or EOF count as success.
    public func executeNoReply(_ command: String, arguments: JSONValue? = nil) async throws(AgentError) {
        let encoded = try arguments.map { value throws(AgentError) in try encodeArguments(value, command: command) }
        let reply: ReceivedReply? = try await withConnection(command) { connection, id throws(AgentError) in
            let request = RequestEncoder.request(command: command, arguments: encoded, id: id)
            do throws(AgentError) {
                return try await connection.roundTrip(request, expecting: .reply(id: id), within: options.noReplyGrace)
            } catch {
                guard error.kind == .timeout || error.kind == .disconnected else { throw error }
                // The agent may still answer later; resync before the next call to skip it.
                markNeedsSync(dropConnection: error.kind == .disconnected)
                return nil
            }
        }
        if let reply, let error = reply.header.error {
            throw AgentError.fromAgent(errorClass: error.errorClass, description: error.desc, command: command)
        }
    }

    /// Forces 0xFF + `guest-sync-delimited` now (normally done automatically when needed).
    public func resync() async throws(AgentError) {
        markNeedsSync(dropConnection: false)
        _ = try await withConnection("guest-sync-delimited") { _, _ throws(AgentError) in () }
    }

    /// Closes the connection; calls in flight fail and later calls fail with `.closed`.
    public func close() async {
        let connection = state.withLock { state in
            state.closed = true
            defer { state.connection = nil }
            return state.connection
        }
        await connection?.close()
    }

    // MARK: Machinery

    private func call(_ command: String, arguments: ByteBuffer?, timeout: Duration?) async throws(AgentError)
        -> ReceivedReply
    {
        let deadline = timeout ?? options.commandTimeout
        return try await withConnection(command) { connection, id throws(AgentError) in
            let request = RequestEncoder.request(command: command, arguments: arguments, id: id)
            do throws(AgentError) {
                return try await connection.roundTrip(request, expecting: .reply(id: id), within: deadline)
            } catch {
                // After a timeout or garbage the channel may hold stale output: resync first next
                // time. After EOF or an oversized reply the connection is gone: reconnect.
                switch error.kind {
                case .disconnected, .replyTooLarge: markNeedsSync(dropConnection: true)
                default: markNeedsSync(dropConnection: false)
                }
                throw error
            }
        }
    }

    /// Runs `body` holding the gate, on a connected and synced channel, with a fresh request id.
    private func withConnection<T: Sendable>(
        _ command: String,
        _ body: (AgentConnection, Int64) async throws(AgentError) -> T
    ) async throws(AgentError) -> T {
        do {
            try await gate.enter()
        } catch {
            throw AgentError(kind: .timeout, message: "cancelled while waiting for an earlier call to this agent", command: command)
        }
        defer { gate.leave() }
        do throws(AgentError) {
            let connection = try await readyConnection()
            let id = state.withLock { state in
                state.nextRequestID &+= 1
                return state.nextRequestID
            }
            return try await body(connection, id)
        } catch {
            if state.withLock({ $0.closed }) {
                throw AgentError(kind: .closed, message: "the client was closed", command: command)
            }
            throw error.with(command: command)
        }
    }

    /// The open connection, connecting and syncing first when needed. Caller holds the gate.
    private func readyConnection() async throws(AgentError) -> AgentConnection {
        let (existing, closed) = state.withLock { ($0.connection, $0.closed) }
        if closed { throw AgentError(kind: .closed, message: "the client was closed") }
        var connection: AgentConnection
        if let existing, existing.isActive {
            connection = existing
        } else {
            await existing?.close()
            logger.debug("connecting")
            connection = try await AgentConnection.open(to: address, options: options, on: eventLoop, logger: logger)
            let stillOpen = state.withLock { state in
                guard !state.closed else { return false }
                state.connection = connection
                state.needsSync = true
                return true
            }
            if !stillOpen {
                await connection.close()
                throw AgentError(kind: .closed, message: "the client was closed")
            }
        }
        if state.withLock({ $0.needsSync }) {
            try await sync(connection)
            state.withLock { $0.needsSync = false }
        }
        return connection
    }

    /// 0xFF makes the agent drop any half-read request; the reply to our random token marks the
    /// point from which the stream is ours. Everything before it is skipped.
    private func sync(_ connection: AgentConnection) async throws(AgentError) {
        let token = Int64.random(in: 1...Int64.max)
        let request = RequestEncoder.syncDelimited(token: token)
        do throws(AgentError) {
            _ = try await connection.roundTrip(request, expecting: .sync(token: token), within: options.syncTimeout)
            logger.trace("synced", metadata: ["token": "\(token)"])
        } catch {
            if error.kind == .timeout {
                throw AgentError(
                    kind: .timeout,
                    message: "no answer to guest-sync-delimited within \(options.syncTimeout.readable): guest booting, agent not running, or agent busy"
                )
            }
            markNeedsSync(dropConnection: true)
            throw error
        }
    }

    private func markNeedsSync(dropConnection: Bool) {
        let dropped: AgentConnection? = state.withLock { state in
            state.needsSync = true
            guard dropConnection else { return nil }
            defer { state.connection = nil }
            return state.connection
        }
        dropped?.channel.close(promise: nil)
    }

    private func encodeArguments(_ arguments: some Encodable, command: String) throws(AgentError) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try WireJSON.encode(arguments))
        } catch {
            throw AgentError(kind: .invalidArguments, message: "cannot encode arguments: \(error)", command: command)
        }
    }

    private func decodeResult<R: Decodable>(_ type: R.Type, from reply: ReceivedReply, command: String)
        throws(AgentError) -> R
    {
        if let error = reply.header.error {
            throw AgentError.fromAgent(errorClass: error.errorClass, description: error.desc, command: command)
        }
        guard reply.header.hasReturn else {
            throw AgentError(kind: .protocolViolation, message: "reply has neither 'return' nor 'error'", command: command)
        }
        do {
            return try WireJSON.decode(ReturnEnvelope<R>.self, from: reply.data).value
        } catch {
            throw AgentError(
                kind: .decodingFailed,
                message: "reply does not decode as \(R.self): \(DecodingErrorText.describe(error))",
                command: command
            )
        }
    }
}
