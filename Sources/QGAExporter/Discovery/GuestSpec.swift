import QGAMetrics
import QGAProtocol

/// One guest to poll, with every setting resolved (global config, discovery rule, guest overrides).
struct GuestSpec: Sendable, Equatable {
    var name: String
    var address: AgentAddress
    /// Static labels in a fixed (sorted) order; `guest` is not among them.
    var labels: [Label]
    var interval: Duration
    var timeout: Duration
    /// Deadline for connecting and for 0xFF + `guest-sync-delimited`, apart from `timeout`.
    var connectTimeout: Duration = .seconds(1)
    /// Whether the agent's socket is released after every poll and call (the default).
    var connection: ConnectionMode = .short
    var collectors: CollectorSwitches
    /// "static" or the discovery glob that found it.
    var source: String
    /// Proxmox VE: the VM's config file, whose `lock:` line says when a backup holds the guest.
    var proxmoxConfig: String?

    /// How the guest's client talks to its agent.
    var clientOptions: AgentClientOptions {
        AgentClientOptions(connectTimeout: connectTimeout, syncTimeout: connectTimeout, commandTimeout: timeout,
                           connection: connection)
    }
}
