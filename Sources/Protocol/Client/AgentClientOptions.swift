/// Budgets and limits for one agent connection.
public struct AgentClientOptions: Sendable, Hashable {
    public static let defaultMaxReplyBytes = 16 * 1024 * 1024

    /// Budget for establishing the connection.
    public var connectTimeout: Duration
    /// Budget for 0xFF + `guest-sync-delimited` on connect and after a timeout. A guest that is
    /// booting, or whose agent is not running, accepts the connection and never answers.
    public var syncTimeout: Duration
    /// Deadline for each call that does not give its own.
    public var commandTimeout: Duration
    /// Longest reply line accepted; beyond it the connection is dropped (libvirt uses 10 MiB).
    public var maxReplyBytes: Int
    /// How long a no-reply command (shutdown, suspend) waits for an error reply before it
    /// counts as sent. Success never produces a reply, so this only catches refusals.
    public var noReplyGrace: Duration

    public init(
        connectTimeout: Duration = .seconds(2),
        syncTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(5),
        maxReplyBytes: Int = AgentClientOptions.defaultMaxReplyBytes,
        noReplyGrace: Duration = .milliseconds(500)
    ) {
        self.connectTimeout = connectTimeout
        self.syncTimeout = syncTimeout
        self.commandTimeout = commandTimeout
        self.maxReplyBytes = maxReplyBytes
        self.noReplyGrace = noReplyGrace
    }
}
