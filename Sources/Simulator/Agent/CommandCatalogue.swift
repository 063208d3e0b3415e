/// The commands of qemu-ga 7.2 for Linux, in the order its `guest-info` lists them, with
/// whether each answers on success.
public enum CommandCatalogue {
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

    static let names: Set<String> = Set(commands.map(\.name))

    /// Disabled on Linux builds whatever the configuration (a Windows-only command).
    static let alwaysDisabled: Set<String> = ["guest-get-devices"]

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
