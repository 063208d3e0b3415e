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

    /// For commands that never answer on success: sends, waits `grace` for an error reply, and
    /// returns nil when none came (silence or the agent going away count as success).
    func callExpectingNoReply(_ command: String, arguments: ByteBuffer?, grace: Duration) async throws(AgentError)
        -> ReceivedReply?

    /// Re-establishes a known state now (for sockets: 0xFF + `guest-sync-delimited`).
    func resync() async throws(AgentError)

    /// Whether the channel is open right now.
    var isConnected: Bool { get }

    /// Closes the channel; later calls fail with `.closed`.
    func close() async
}
