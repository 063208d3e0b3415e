import QGAProtocol

/// Everything the config file can say, with the defaults an operator gets when it says nothing.
struct ExporterConfig: Sendable, Equatable {
    var poll = PollSettings()
    var collectors = CollectorSwitches()
    var filters = Filters()
    /// Labels added to every guest's series (e.g. `hypervisor`).
    var labels: [String: String] = [:]
    var guests: [StaticGuest] = []
    var discovery: [DiscoveryRule] = []
    var discoveryInterval: Duration = .seconds(30)
    var control = ControlSettings()
}

struct PollSettings: Sendable, Equatable {
    var interval: Duration = .seconds(15)
    /// Deadline for each agent command.
    var timeout: Duration = .seconds(5)
    /// Deadline for connecting and for 0xFF + `guest-sync-delimited`. Short: while we wait in
    /// the socket's listen backlog behind another client, a third one is refused.
    var connectTimeout: Duration = .seconds(1)
    /// `short`: hold each agent's socket only during a poll or call; `persistent`: keep it open.
    var connection: ConnectionMode = .short
    /// How many guests are polled at the same moment.
    var concurrency: Int = 64
    /// Each guest's schedule is offset by up to this fraction of the interval, so a fleet
    /// does not hit the host all at once.
    var jitter: Double = 0.1
}

/// Per-guest settings that override the global ones.
struct GuestOverrides: Sendable, Equatable {
    var interval: Duration?
    var timeout: Duration?
    var connectTimeout: Duration?
    var connection: ConnectionMode?
    var collectors = CollectorSwitches(unset: true)
}

struct StaticGuest: Sendable, Equatable {
    var name: String
    var address: AgentAddress
    var labels: [String: String] = [:]
    var overrides = GuestOverrides()
}

/// Sockets found by a glob, named from their path; or, with `libvirt` set, the running domains
/// of a libvirt connection, named by domain name and polled through libvirtd.
struct DiscoveryRule: Sendable, Equatable {
    /// Empty for libvirt rules.
    var glob: String
    /// Set: list domains through libvirt instead of globbing.
    var libvirt: LibvirtDiscovery?
    /// A regular expression applied to the path (or the domain name); its first capture group is
    /// the guest name. Without one, the file name without its extension (or the domain name) is
    /// the name. For libvirt rules a domain it does not match is skipped.
    var nameRegex: String?
    var labels: [String: String] = [:]
    var overrides = GuestOverrides()
    /// Proxmox VE's VM config folder: a guest whose `<vmid>.conf` there says `lock: backup` (or
    /// `snapshot`) is not polled (`ProxmoxLock`). The VMID is the socket's file name.
    var proxmoxConfigDir: String?

    init(glob: String, nameRegex: String? = nil, labels: [String: String] = [:], overrides: GuestOverrides = GuestOverrides(),
         proxmoxConfigDir: String? = nil) {
        self.glob = glob
        self.nameRegex = nameRegex
        self.labels = labels
        self.overrides = overrides
        self.proxmoxConfigDir = proxmoxConfigDir
    }

    init(libvirt: LibvirtDiscovery) {
        glob = ""
        self.libvirt = libvirt
    }

    /// How guests of this rule say where they came from (`source` in /sd and the landing page).
    var sourceName: String {
        guard let libvirt else { return glob }
        return "libvirt:" + LibvirtConnectionPool.resolveURI(libvirt.uri)
    }

    static let presets: [String: DiscoveryRule] = [
        // Proxmox VE: /var/run/qemu-server/<vmid>.qga, named by VMID; not polled during backups.
        "proxmox": DiscoveryRule(glob: "/var/run/qemu-server/*.qga", nameRegex: #"([^/]+)\.qga$"#,
                                 proxmoxConfigDir: "/etc/pve/qemu-server"),
        // Every running domain of the default libvirt connection, through libvirtd's own agent
        // connection. (libvirtd holds each domain's channel socket for the domain's life: a
        // direct connection would only wait, or lock libvirtd out while it reconnects.)
        "libvirt": DiscoveryRule(libvirt: LibvirtDiscovery(uri: nil)),
        // The same under its earlier name.
        "libvirt-api": DiscoveryRule(libvirt: LibvirtDiscovery(uri: nil)),
    ]
}

/// A libvirt connection whose running domains become guests.
struct LibvirtDiscovery: Sendable, Hashable {
    /// nil: `LIBVIRT_DEFAULT_URI`, else `qemu:///system`.
    var uri: String?
}

/// Which collectors run. `unset` entries fall back to the next level (guest -> global -> default).
struct CollectorSwitches: Sendable, Equatable {
    var enabled: [String: Bool] = [:]

    init(unset: Bool = false) {}

    func isEnabled(_ name: String, default defaultValue: Bool) -> Bool {
        enabled[name] ?? defaultValue
    }

    /// This set's choices laid over `base`.
    func over(_ base: CollectorSwitches) -> CollectorSwitches {
        var merged = base
        merged.enabled.merge(enabled) { _, mine in mine }
        return merged
    }
}

/// The control API (`control:` in the config; docs/control-api.md). Off unless a listen address
/// is given here or with `--control.listen-address`.
struct ControlSettings: Sendable, Equatable {
    /// `unix:/path`, or `host:port` (`:port` binds loopback only).
    var listenAddress: String?
    /// `NAME: TOKEN` lines; each name is a principal for `allow`.
    var tokensFile: String?
    /// exporter-toolkit web config (TLS, bcrypt basic auth) for this listener; defaults to
    /// `--web.config.file`.
    var webConfigFile: String?
    /// JSON lines, one per API call; without it entries go to the main log.
    var auditLog: String?
    /// Largest request body accepted, except file uploads.
    var maxBodyBytes: Int = 1 << 20
    /// Largest file read or written through the file endpoints.
    var maxFileBytes: Int = 16 << 20
    /// Deadline for each agent command run through the API.
    var commandTimeout: Duration = .seconds(30)
    /// Longest an exec call may wait for its process (a request may ask for less).
    var execTimeout: Duration = .seconds(300)
    /// A freeze is thawed automatically when no thaw arrives within this time.
    var freezeAutoThaw: Duration = .seconds(60)
    /// Per token or user: the commands they may run (`read-only`, `*`, or command names).
    /// A principal not listed gets the read-only commands.
    var allow: [String: [String]] = [:]
}
