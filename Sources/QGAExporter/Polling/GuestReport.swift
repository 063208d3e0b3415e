import QGAMetrics

/// What the last poll of one guest found: its state for the landing page and APIs, and its
/// metric families with `guest` and static labels already attached.
struct GuestReport: Sendable {
    enum State: String, Sendable {
        case unknown   // not polled yet
        case up        // the agent answered the whole poll
        case frozen    // the agent answered, the guest's filesystems are frozen: collectors skipped
        case paused    // not polled: the hypervisor holds the guest for a backup (Proxmox `lock:`)
        case down      // connect failed, timed out, or the channel broke
    }

    /// Whether the agent answered (`qga_up` 1).
    var answered: Bool { state == .up || state == .frozen }

    var name: String
    var address: String
    var source: String
    var labels: [(name: String, value: String)]
    var state: State = .unknown
    /// Why the guest is down, in the client's words (e.g. "timeout: no reply to guest-sync-delimited").
    var lastError: String?
    var errorKind: String?
    /// Why the guest is paused (the Proxmox lock, e.g. "backup"), while `state` is `.paused`.
    var pausedFor: String?
    var agentVersion: String?
    var enabledCommands: [String] = []
    var lastPollUnixTime: Double?
    var pollDuration: Double?
    /// Sorted by family name; every sample carries the `guest` label. Empty in the reports of
    /// `SnapshotStore.reports()`: the store keeps them encoded, `report(named:)` decodes them.
    var families: [MetricFamily] = []
}
