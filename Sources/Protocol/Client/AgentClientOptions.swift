/// How long the client holds an agent's socket.
///
/// The agent's channel serves one client at a time: QEMU's chardev socket (Proxmox VE's
/// `/var/run/qemu-server/<vmid>.qga`) and qemu-ga's own listener accept one connection and leave
/// the next waiting in the listen backlog. Whoever holds it locks out every other tool.
public enum ConnectionMode: String, Sendable, Hashable, CaseIterable {
    /// Connect, resync, run one call or one poll, close: other clients (the hypervisor's own
    /// tools, backups, an operator) get the agent between our calls. The default.
    case short
    /// Keep the connection open between calls: one connect and sync fewer per poll, but nothing
    /// else can reach the agent while the client lives. Only for sockets nothing else uses.
    case persistent
}

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
    /// Whether the connection closes after each call or poll (`AgentClient.withSession`).
    public var connection: ConnectionMode

    public init(
        connectTimeout: Duration = .seconds(2),
        syncTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(5),
        maxReplyBytes: Int = AgentClientOptions.defaultMaxReplyBytes,
        noReplyGrace: Duration = .milliseconds(500),
        connection: ConnectionMode = .short
    ) {
        self.connectTimeout = connectTimeout
        self.syncTimeout = syncTimeout
        self.commandTimeout = commandTimeout
        self.maxReplyBytes = maxReplyBytes
        self.noReplyGrace = noReplyGrace
        self.connection = connection
    }
}
