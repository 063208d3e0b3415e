import QGAMetrics

/// What the last poll of one guest found, for the landing page, `/sd` and the APIs. Its metric
/// families travel beside it (`GuestPoll`) and are kept encoded by the `SnapshotStore`.
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
    var labels: [Label]
    var state: State = .unknown
    /// Why the guest is down, in the client's words (e.g. "timeout: no reply to guest-sync-delimited").
    var lastError: String?
    var errorKind: String?
    /// What went wrong below the channel in the last poll: collectors that failed and list
    /// entries dropped (`guest-get-fsinfo[3].disk[0]: missing member 'bus-type'`).
    var problems: [String] = []
    /// Why the guest is paused (the Proxmox lock, e.g. "backup"), while `state` is `.paused`.
    var pausedFor: String?
    var agentVersion: String?
    var enabledCommands: [String] = []
    var lastPollUnixTime: Double?
    var pollDuration: Double?
}

/// One finished poll: the report, and the guest's families with `guest` and static labels
/// attached, sorted by name.
struct GuestPoll: Sendable {
    var report: GuestReport
    var families: [MetricFamily]
}
