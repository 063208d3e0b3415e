import NIOCore

/// How requests reach one guest agent and replies come back. `AgentClient` owns one and calls it
/// one request at a time (it holds its gate around every call), so implementations need not
/// serialize callers themselves.
///
/// Two backends: `SocketAgentChannel` speaks the wire protocol itself (framing, 0xFF + sync, ids)
/// over unix/vsock/tcp; `LibvirtAgentChannel` hands the request to libvirtd, which owns the
/// agent's socket and does all of that on its side.
protocol AgentChannel: Sendable {
    /// Sends `command` and waits for its reply, at most `timeout`. The reply may carry an agent
    /// error; the client classifies it. `arguments` is the encoded `arguments` object, if any.
    func call(_ command: String, arguments: ByteBuffer?, timeout: Duration) async throws(AgentError) -> ReceivedReply

    /// Sends argument-less `commands` one after another, each after the previous reply, until one
    /// fails in the channel, and hands each reply to `read` (see `AgentClient.executeSequence`).
    func callSequence<T: Sendable>(
        _ commands: [String], timeout: Duration, clock: @escaping @Sendable () -> Double,
        checkpoint: SequenceCheckpoint<T>?, read: @escaping @Sendable (Int, AgentReply) -> T
    ) async -> [T]

    /// For commands that never answer on success: sends, waits `grace` for an error reply, and
    /// returns nil when none came (silence or the agent going away count as success).
    func callExpectingNoReply(_ command: String, arguments: ByteBuffer?, grace: Duration) async throws(AgentError)
        -> ReceivedReply?

    /// Re-establishes a known state now (for sockets: 0xFF + `guest-sync-delimited`).
    func resync() async throws(AgentError)

    /// Whether the channel is open right now.
    var isConnected: Bool { get }

    /// The client's session with the agent ended (one call or one poll): a socket in
    /// `ConnectionMode.short` closes its connection so other clients can reach the agent.
    func endSession() async

    /// Closes the channel; later calls fail with `.closed`.
    func close() async
}

/// A reply in a sequence that is read before the next request goes out, and decides whether the
/// sequence goes on (a poll stops after `guest-fsfreeze-status` when the guest is frozen).
public struct SequenceCheckpoint<T: Sendable>: Sendable {
    public var index: Int
    public var proceed: @Sendable (T) -> Bool

    public init(index: Int, proceed: @escaping @Sendable (T) -> Bool) {
        self.index = index
        self.proceed = proceed
    }
}

extension AgentChannel {
    /// libvirtd arbitrates its own agent connection: nothing to release.
    func endSession() async {}

    /// One `call` after another: for channels whose calls are already one hand-off each (libvirt).
    func callSequence<T: Sendable>(
        _ commands: [String], timeout: Duration, clock: @escaping @Sendable () -> Double,
        checkpoint: SequenceCheckpoint<T>?, read: @escaping @Sendable (Int, AgentReply) -> T
    ) async -> [T] {
        var results: [T] = []
        for (index, command) in commands.enumerated() {
            let sentAt = clock()
            let outcome: Result<ReceivedReply, AgentError>
            do throws(AgentError) {
                outcome = .success(try await call(command, arguments: nil, timeout: timeout))
            } catch {
                outcome = .failure(error)
            }
            let result = read(index, AgentReply(command: command, sentAt: sentAt, receivedAt: clock(), outcome: outcome))
            results.append(result)
            if case .failure(let error) = outcome, error.isTransportFailure { break }
            if let checkpoint, checkpoint.index == index, !checkpoint.proceed(result) { break }
        }
        return results
    }
}
