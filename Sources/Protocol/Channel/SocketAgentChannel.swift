import Logging
import NIOCore
import NIOPosix

/// The wire protocol over a socket the exporter connects to itself (unix, vsock, tcp): a
/// connection opened lazily and synced on connect and after any timeout, reconnected after EOF,
/// and a fresh id on every request so a late reply never answers a later call. In
/// `ConnectionMode.short` (the default) it is closed at the end of every session, so the agent's
/// one channel is ours only while a call or a poll runs.
final class SocketAgentChannel: AgentChannel {
    let address: AgentAddress
    private let options: AgentClientOptions
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let state: LockedBox<State>

    private struct State {
        var connection: AgentConnection?
        /// Set on connect and after anything that may leave stale output in the channel.
        var needsSync = true
        var closed = false
        var nextRequestID: Int64
    }

    init(address: AgentAddress, options: AgentClientOptions, eventLoop: any EventLoop, logger: Logger) {
        self.address = address
        self.options = options
        self.eventLoop = eventLoop
        self.logger = logger
        // A random start keeps ids unique across client instances that share an agent over time.
        state = LockedBox(State(nextRequestID: Int64.random(in: 1...(1 << 52))))
    }

    deinit {
        state.withLock { $0.connection }?.channel.close(promise: nil)
    }

    var isConnected: Bool {
        state.withLock { $0.connection?.isActive ?? false }
    }

    func call(_ command: String, arguments: ByteBuffer?, timeout: Duration) async throws(AgentError) -> ReceivedReply {
        try await withConnection { connection, id throws(AgentError) in
            let request = RequestEncoder.request(command: command, arguments: arguments, id: id)
            do throws(AgentError) {
                return try await connection.roundTrip(request, expecting: .reply(id: id), within: timeout)
            } catch {
                recover(after: error)
                throw error
            }
        }
    }

    func callSequence<T: Sendable>(
        _ commands: [String], timeout: Duration, clock: @escaping @Sendable () -> Double,
        checkpoint: SequenceCheckpoint<T>?, read: @escaping @Sendable (Int, AgentReply) -> T
    ) async -> [T] {
        guard let first = commands.first else { return [] }
        let connection: AgentConnection
        let firstID: Int64
        do throws(AgentError) {
            connection = try await readyConnection()
            firstID = state.withLock { state in
                defer { state.nextRequestID &+= Int64(commands.count) }
                return state.nextRequestID &+ 1
            }
        } catch {
            let now = clock()
            let failure = state.withLock({ $0.closed }) ? AgentError(kind: .closed, message: "the client was closed") : error
            return [read(0, AgentReply(command: first, sentAt: now, receivedAt: now, outcome: .failure(failure)))]
        }
        let requests = commands.enumerated().map { offset, command in
            let id = firstID &+ Int64(offset)
            return AgentConnection.Request(command: command, id: id, bytes: RequestEncoder.request(command: command, arguments: nil, id: id))
        }
        let (results, failure) = await connection.roundTrips(requests, within: timeout, clock: clock,
                                                             checkpoint: checkpoint, read: read)
        if let failure { recover(after: failure) }
        return results
    }

    func callExpectingNoReply(_ command: String, arguments: ByteBuffer?, grace: Duration) async throws(AgentError)
        -> ReceivedReply?
    {
        try await withConnection { connection, id throws(AgentError) in
            let request = RequestEncoder.request(command: command, arguments: arguments, id: id)
            do throws(AgentError) {
                return try await connection.roundTrip(request, expecting: .reply(id: id), within: grace)
            } catch {
                guard error.kind == .timeout || error.kind == .disconnected else { throw error }
                // The agent may still answer later; resync before the next call to skip it.
                markNeedsSync(dropConnection: error.kind == .disconnected)
                return nil
            }
        }
    }

    func resync() async throws(AgentError) {
        markNeedsSync(dropConnection: false)
        _ = try await withConnection { _, _ throws(AgentError) in () }
    }

    func endSession() async {
        guard options.connection == .short else { return }
        let connection = state.withLock { state in
            // Whatever the agent still sends is stale for the next session, which resyncs anyway.
            state.needsSync = true
            defer { state.connection = nil }
            return state.connection
        }
        if connection != nil { logger.trace("session ended, connection closed") }
        await connection?.close()
    }

    func close() async {
        let connection = state.withLock { state in
            state.closed = true
            defer { state.connection = nil }
            return state.connection
        }
        await connection?.close()
    }

    // MARK: Machinery

    /// Runs `body` on a connected and synced channel with a fresh request id.
    private func withConnection<T: Sendable>(
        _ body: (AgentConnection, Int64) async throws(AgentError) -> T
    ) async throws(AgentError) -> T {
        do throws(AgentError) {
            let connection = try await readyConnection()
            let id = state.withLock { state in
                state.nextRequestID &+= 1
                return state.nextRequestID
            }
            return try await body(connection, id)
        } catch {
            if state.withLock({ $0.closed }) {
                throw AgentError(kind: .closed, message: "the client was closed")
            }
            throw error
        }
    }

    /// The open connection, connecting and syncing first when needed.
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

    /// After a timeout or garbage the channel may hold stale output: resync first next time.
    /// After EOF or an oversized reply the connection is gone: reconnect.
    private func recover(after error: AgentError) {
        markNeedsSync(dropConnection: error.kind == .disconnected || error.kind == .replyTooLarge)
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
}
