// The protocol's commands, typed. Each is a static member of `AgentCommand` in the extension
// constrained to its argument and result types: so `client.call(.getOSInfo)` and
// `AgentCommand.getOSInfo` both name it, with its types. In the order of the protocol reference,
// as `AgentCommands.all` lists them without their types.

extension AgentCommand where Arguments == SyncArguments, Result == Int64 {
    /// `guest-sync-delimited`: the agent answers 0xFF and then echoes `id`. The client sends it
    /// itself, with the 0xFF sentinel, on connect and after a timeout; `AgentClient.resync()`
    /// forces one.
    public static var syncDelimited: Self { Self("guest-sync-delimited", .readOnly) }
    /// `guest-sync`: echoes `id`. Plain sync, without the 0xFF sentinel.
    public static var sync: Self { Self("guest-sync", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == EmptyReply {
    /// `guest-ping`: succeeds if the agent answers.
    public static var ping: Self { Self("guest-ping", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == Int64 {
    /// `guest-get-time`: the guest's clock, nanoseconds since the epoch.
    public static var getTime: Self { Self("guest-get-time", .readOnly) }
}

extension AgentCommand where Arguments == SetTimeArguments, Result == EmptyReply {
    /// `guest-set-time`: sets the guest clock, or from the RTC when `time` is nil (not on Windows).
    public static var setTime: Self { Self("guest-set-time", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestAgentInfo {
    /// `guest-info`: agent version and which commands are enabled.
    public static var info: Self { Self("guest-info", .readOnly) }
}

extension AgentCommand where Arguments == ShutdownArguments, Result == NoReply {
    /// `guest-shutdown`: asks the guest to shut down. No reply on success.
    public static var shutdown: Self { Self("guest-shutdown", .stateChanging) }
}

extension AgentCommand where Arguments == FileOpenArguments, Result == Int {
    /// `guest-file-open`: returns a handle.
    public static var fileOpen: Self { Self("guest-file-open", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileHandleArguments, Result == EmptyReply {
    /// `guest-file-close`.
    public static var fileClose: Self { Self("guest-file-close", .filesAndPrograms) }
    /// `guest-file-flush`.
    public static var fileFlush: Self { Self("guest-file-flush", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileReadArguments, Result == GuestFileRead {
    /// `guest-file-read`: up to `count` bytes (agent default 4 KiB, at most 48 MB).
    public static var fileRead: Self { Self("guest-file-read", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileWriteArguments, Result == GuestFileWrite {
    /// `guest-file-write`.
    public static var fileWrite: Self { Self("guest-file-write", .filesAndPrograms) }
}

extension AgentCommand where Arguments == FileSeekArguments, Result == GuestFileSeek {
    /// `guest-file-seek`: returns the new position.
    public static var fileSeek: Self { Self("guest-file-seek", .filesAndPrograms) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestFsfreezeStatus {
    /// `guest-fsfreeze-status`.
    public static var fsfreezeStatus: Self { Self("guest-fsfreeze-status", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == Int {
    /// `guest-fsfreeze-freeze`: freezes all local filesystems; returns how many are frozen.
    /// While frozen, the agent refuses everything but ping, info, sync, status and thaw.
    public static var fsfreezeFreeze: Self { Self("guest-fsfreeze-freeze", .stateChanging) }
    /// `guest-fsfreeze-thaw`: returns how many filesystems this call thawed.
    public static var fsfreezeThaw: Self { Self("guest-fsfreeze-thaw", .stateChanging) }
}

extension AgentCommand where Arguments == FsfreezeFreezeListArguments, Result == Int {
    /// `guest-fsfreeze-freeze-list`: freezes the given mount points (all when nil).
    public static var fsfreezeFreezeList: Self { Self("guest-fsfreeze-freeze-list", .stateChanging) }
}

extension AgentCommand where Arguments == FstrimArguments, Result == GuestFilesystemTrimResponse {
    /// `guest-fstrim`: discards unused blocks.
    public static var fstrim: Self { Self("guest-fstrim", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == NoReply {
    /// `guest-suspend-disk`: hibernate. No reply on success.
    public static var suspendDisk: Self { Self("guest-suspend-disk", .stateChanging) }
    /// `guest-suspend-ram`: suspend to RAM (needs wakeup support in QEMU). No reply on success.
    public static var suspendRam: Self { Self("guest-suspend-ram", .stateChanging) }
    /// `guest-suspend-hybrid`: save to disk and suspend to RAM. No reply on success.
    public static var suspendHybrid: Self { Self("guest-suspend-hybrid", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestNetworkInterface] {
    /// `guest-network-get-interfaces`: interfaces, addresses and counters.
    public static var networkGetInterfaces: Self { Self("guest-network-get-interfaces", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestLogicalProcessor] {
    /// `guest-get-vcpus`: every logical processor, in no particular order.
    public static var getVCPUs: Self { Self("guest-get-vcpus", .readOnly) }
}

extension AgentCommand where Arguments == SetVCPUsArguments, Result == Int {
    /// `guest-set-vcpus`: returns how many leading entries were applied.
    public static var setVCPUs: Self { Self("guest-set-vcpus", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestDiskInfo] {
    /// `guest-get-disks` (since 5.2): block devices with addresses and SMART data.
    public static var getDisks: Self { Self("guest-get-disks", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestFilesystemInfo] {
    /// `guest-get-fsinfo`: mounted filesystems with usage (network filesystems are not listed).
    public static var getFSInfo: Self { Self("guest-get-fsinfo", .readOnly) }
}

extension AgentCommand where Arguments == SetUserPasswordArguments, Result == EmptyReply {
    /// `guest-set-user-password`.
    public static var setUserPassword: Self { Self("guest-set-user-password", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestMemoryBlock] {
    /// `guest-get-memory-blocks`.
    public static var getMemoryBlocks: Self { Self("guest-get-memory-blocks", .readOnly) }
}

extension AgentCommand where Arguments == SetMemoryBlocksArguments, Result == [GuestMemoryBlockResponse] {
    /// `guest-set-memory-blocks`: one response per block, in input order.
    public static var setMemoryBlocks: Self { Self("guest-set-memory-blocks", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestMemoryBlockInfo {
    /// `guest-get-memory-block-info`: the size of one memory block.
    public static var getMemoryBlockInfo: Self { Self("guest-get-memory-block-info", .readOnly) }
}

extension AgentCommand where Arguments == ExecStatusArguments, Result == GuestExecStatus {
    /// `guest-exec-status`: reaps the process once it has exited (so not read-only).
    public static var execStatus: Self { Self("guest-exec-status", .filesAndPrograms) }
}

extension AgentCommand where Arguments == ExecArguments, Result == GuestExec {
    /// `guest-exec`: starts a program; poll `execStatus` for its outcome and captured output.
    public static var exec: Self { Self("guest-exec", .filesAndPrograms) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestHostName {
    /// `guest-get-host-name`.
    public static var getHostName: Self { Self("guest-get-host-name", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestUser] {
    /// `guest-get-users`: logged-in users, each once, with the earliest login time.
    public static var getUsers: Self { Self("guest-get-users", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestTimezone {
    /// `guest-get-timezone`.
    public static var getTimezone: Self { Self("guest-get-timezone", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestOSInfo {
    /// `guest-get-osinfo`.
    public static var getOSInfo: Self { Self("guest-get-osinfo", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestDeviceInfo] {
    /// `guest-get-devices` (Windows): device drivers.
    public static var getDevices: Self { Self("guest-get-devices", .readOnly) }
}

extension AgentCommand where Arguments == SSHUserArguments, Result == GuestAuthorizedKeys {
    /// `guest-ssh-get-authorized-keys`.
    public static var sshGetAuthorizedKeys: Self { Self("guest-ssh-get-authorized-keys", .readOnly) }
}

extension AgentCommand where Arguments == SSHAddAuthorizedKeysArguments, Result == EmptyReply {
    /// `guest-ssh-add-authorized-keys`; `reset` replaces the existing keys.
    public static var sshAddAuthorizedKeys: Self { Self("guest-ssh-add-authorized-keys", .stateChanging) }
}

extension AgentCommand where Arguments == SSHRemoveAuthorizedKeysArguments, Result == EmptyReply {
    /// `guest-ssh-remove-authorized-keys` (missing keys are not an error).
    public static var sshRemoveAuthorizedKeys: Self { Self("guest-ssh-remove-authorized-keys", .stateChanging) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestDiskStatsInfo] {
    /// `guest-get-diskstats` (since 7.1, Linux): I/O counters per block device.
    public static var getDiskStats: Self { Self("guest-get-diskstats", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestCpuStats] {
    /// `guest-get-cpustats` (since 7.1, Linux): CPU times per CPU, in milliseconds.
    public static var getCPUStats: Self { Self("guest-get-cpustats", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == [GuestNetworkRoute] {
    /// `guest-network-get-route` (since 9.1, Linux).
    public static var networkGetRoute: Self { Self("guest-network-get-route", .readOnly) }
}

extension AgentCommand where Arguments == NoArguments, Result == GuestLoadAverage {
    /// `guest-get-load` (since 10.0, newer than the reference): the load averages.
    public static var getLoad: Self { Self("guest-get-load", .readOnly) }
}

/// Every command of the protocol reference (qemu-ga-ref 9.2), in its order, without their types:
/// what lists and checks of commands are made from.
public enum AgentCommands {
    public static let all: [AnyAgentCommand] = [
        AnyAgentCommand(.syncDelimited), AnyAgentCommand(.sync), AnyAgentCommand(.ping),
        AnyAgentCommand(.getTime), AnyAgentCommand(.setTime), AnyAgentCommand(.info), AnyAgentCommand(.shutdown),
        AnyAgentCommand(.fileOpen), AnyAgentCommand(.fileClose), AnyAgentCommand(.fileRead),
        AnyAgentCommand(.fileWrite), AnyAgentCommand(.fileSeek), AnyAgentCommand(.fileFlush),
        AnyAgentCommand(.fsfreezeStatus), AnyAgentCommand(.fsfreezeFreeze), AnyAgentCommand(.fsfreezeFreezeList),
        AnyAgentCommand(.fsfreezeThaw), AnyAgentCommand(.fstrim),
        AnyAgentCommand(.suspendDisk), AnyAgentCommand(.suspendRam), AnyAgentCommand(.suspendHybrid),
        AnyAgentCommand(.networkGetInterfaces), AnyAgentCommand(.getVCPUs), AnyAgentCommand(.setVCPUs),
        AnyAgentCommand(.getDisks), AnyAgentCommand(.getFSInfo), AnyAgentCommand(.setUserPassword),
        AnyAgentCommand(.getMemoryBlocks), AnyAgentCommand(.setMemoryBlocks), AnyAgentCommand(.getMemoryBlockInfo),
        AnyAgentCommand(.execStatus), AnyAgentCommand(.exec),
        AnyAgentCommand(.getHostName), AnyAgentCommand(.getUsers), AnyAgentCommand(.getTimezone),
        AnyAgentCommand(.getOSInfo), AnyAgentCommand(.getDevices),
        AnyAgentCommand(.sshGetAuthorizedKeys), AnyAgentCommand(.sshAddAuthorizedKeys),
        AnyAgentCommand(.sshRemoveAuthorizedKeys),
        AnyAgentCommand(.getDiskStats), AnyAgentCommand(.getCPUStats), AnyAgentCommand(.networkGetRoute),
        // Newer than the reference (qemu-ga 9.2):
        AnyAgentCommand(.getLoad),
    ]

    private static let byName: [String: AnyAgentCommand] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The command called `name`, or nil for one the reference does not have (newer agents add
    /// commands, e.g. `guest-get-load`).
    public static func named(_ name: String) -> AnyAgentCommand? {
        byName[name]
    }

    /// The names of the commands with `effect`, in the reference's order.
    public static func names(_ effect: CommandEffect) -> [String] {
        all.filter { $0.effect == effect }.map(\.name)
    }

    /// Whether `name` is a command that never answers on success. Unknown commands are expected
    /// to answer.
    public static func answersOnSuccess(_ name: String) -> Bool {
        named(name)?.answersOnSuccess ?? true
    }
}
