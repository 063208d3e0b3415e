/// The commands of each simulated agent, in the order its `guest-info` lists them (the reverse
/// of the schema's order in recent agents, reverse alphabetical in 2.x), with whether each
/// answers on success.
public enum CommandCatalogue {
    /// qemu-ga 7.2 for Linux, as captured from the real agent.
    public static let commands: [(name: String, successResponse: Bool)] = [
        ("guest-get-cpustats", true), ("guest-get-diskstats", true), ("guest-ssh-remove-authorized-keys", true),
        ("guest-ssh-add-authorized-keys", true), ("guest-ssh-get-authorized-keys", true),
        ("guest-get-devices", true), ("guest-get-osinfo", true), ("guest-get-timezone", true),
        ("guest-get-users", true), ("guest-get-host-name", true), ("guest-exec", true),
        ("guest-exec-status", true), ("guest-get-memory-block-info", true), ("guest-set-memory-blocks", true),
        ("guest-get-memory-blocks", true), ("guest-set-user-password", true), ("guest-get-fsinfo", true),
        ("guest-get-disks", true), ("guest-set-vcpus", true), ("guest-get-vcpus", true),
        ("guest-network-get-interfaces", true), ("guest-suspend-hybrid", false), ("guest-suspend-ram", false),
        ("guest-suspend-disk", false), ("guest-fstrim", true), ("guest-fsfreeze-thaw", true),
        ("guest-fsfreeze-freeze-list", true), ("guest-fsfreeze-freeze", true), ("guest-fsfreeze-status", true),
        ("guest-file-flush", true), ("guest-file-seek", true), ("guest-file-write", true),
        ("guest-file-read", true), ("guest-file-close", true), ("guest-file-open", true),
        ("guest-shutdown", false), ("guest-info", true), ("guest-set-time", true), ("guest-get-time", true),
        ("guest-ping", true), ("guest-sync", true), ("guest-sync-delimited", true),
    ]

    /// 7.2 still compiled the Windows-only `guest-get-devices` into Linux builds, disabled.
    static let linux72 = CommandTable(commands, disabled: ["guest-get-devices"])

    /// qemu-ga 10.0 (captured from 10.0.2). Since 9.1 a platform's unsupported commands are left
    /// out of the schema (`guest-get-devices` on Linux); routes came in 9.1, the load in 10.0.
    static let linux10 = CommandTable(
        [("guest-network-get-route", true), ("guest-get-load", true)]
            + commands.filter { $0.name != "guest-get-devices" })

    /// The virtio-win agent 107.0.1 (captured): stubs for disk and CPU stats that answer an
    /// error, and Linux-only commands disabled at start.
    static let windowsOld = CommandTable(
        names: [
            "guest-get-cpustats", "guest-get-diskstats", "guest-get-devices", "guest-get-osinfo",
            "guest-get-timezone", "guest-get-users", "guest-get-host-name", "guest-exec", "guest-exec-status",
            "guest-get-memory-block-info", "guest-set-memory-blocks", "guest-get-memory-blocks",
            "guest-set-user-password", "guest-get-fsinfo", "guest-get-disks", "guest-set-vcpus", "guest-get-vcpus",
            "guest-network-get-interfaces", "guest-suspend-hybrid", "guest-suspend-ram", "guest-suspend-disk",
        ] + sharedTail,
        disabled: [
            "guest-get-memory-block-info", "guest-set-memory-blocks", "guest-get-memory-blocks", "guest-set-vcpus",
            "guest-suspend-hybrid",
        ],
        unsupported: ["guest-get-cpustats", "guest-get-diskstats"])

    /// The Windows agent from 10.2, by the schema's conditions: no stats, memory blocks,
    /// `guest-set-vcpus`, hybrid suspend or routes; SSH keys (9.1) and the emulated load (10.1).
    static let windowsNew = CommandTable(
        names: [
            "guest-get-load", "guest-ssh-remove-authorized-keys", "guest-ssh-add-authorized-keys",
            "guest-ssh-get-authorized-keys", "guest-get-devices", "guest-get-osinfo", "guest-get-timezone",
            "guest-get-users", "guest-get-host-name", "guest-exec", "guest-exec-status", "guest-set-user-password",
            "guest-get-fsinfo", "guest-get-disks", "guest-get-vcpus", "guest-network-get-interfaces",
            "guest-suspend-ram", "guest-suspend-disk",
        ] + sharedTail)

    /// qemu-ga 2.12: the 2.8 list (captured) plus the host name, users, timezone and OS info of
    /// 2.10, all in the reverse alphabetical order agents before 3.0 listed them in.
    static let linuxOld = CommandTable(
        names: [
            "guest-sync-delimited", "guest-sync", "guest-ping", "guest-get-time", "guest-set-time", "guest-info",
            "guest-shutdown", "guest-file-open", "guest-file-close", "guest-file-read", "guest-file-write",
            "guest-file-seek", "guest-file-flush", "guest-fsfreeze-status", "guest-fsfreeze-freeze",
            "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw", "guest-fstrim", "guest-suspend-disk",
            "guest-suspend-ram", "guest-suspend-hybrid", "guest-network-get-interfaces", "guest-get-vcpus",
            "guest-set-vcpus", "guest-get-fsinfo", "guest-set-user-password", "guest-get-memory-blocks",
            "guest-set-memory-blocks", "guest-get-memory-block-info", "guest-exec-status", "guest-exec",
            "guest-get-host-name", "guest-get-users", "guest-get-timezone", "guest-get-osinfo",
        ].sorted(by: >))

    /// Recent agents, Linux and Windows, end their lists alike (the start of the schema).
    private static let sharedTail = [
        "guest-fstrim", "guest-fsfreeze-thaw", "guest-fsfreeze-freeze-list", "guest-fsfreeze-freeze",
        "guest-fsfreeze-status", "guest-file-flush", "guest-file-seek", "guest-file-write", "guest-file-read",
        "guest-file-close", "guest-file-open", "guest-shutdown", "guest-info", "guest-set-time", "guest-get-time",
        "guest-ping", "guest-sync", "guest-sync-delimited",
    ]

    /// What still runs while filesystems are frozen (qemu-ga's freeze allow-list).
    public static let allowedWhileFrozen: Set<String> = [
        "guest-ping", "guest-info", "guest-sync", "guest-sync-delimited", "guest-fsfreeze-status",
        "guest-fsfreeze-thaw",
    ]

    /// The `-b` list the project runs the real agent with; a handy default for "like production
    /// hardening" runs of the simulator.
    public static let stateChangingCommands: [String] = [
        "guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid",
        "guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fsfreeze-thaw", "guest-fstrim",
        "guest-set-time", "guest-set-user-password", "guest-set-vcpus", "guest-set-memory-blocks",
        "guest-ssh-add-authorized-keys", "guest-ssh-remove-authorized-keys",
    ]
}
