/// The names of every command in the protocol reference (qemu-ga-ref 9.2), for capability
/// checks against `GuestAgentInfo.supports(_:)` and for raw calls.
public enum QGACommand {
    public static let syncDelimited = "guest-sync-delimited"
    public static let sync = "guest-sync"
    public static let ping = "guest-ping"
    public static let getTime = "guest-get-time"
    public static let setTime = "guest-set-time"
    public static let info = "guest-info"
    public static let shutdown = "guest-shutdown"
    public static let fileOpen = "guest-file-open"
    public static let fileClose = "guest-file-close"
    public static let fileRead = "guest-file-read"
    public static let fileWrite = "guest-file-write"
    public static let fileSeek = "guest-file-seek"
    public static let fileFlush = "guest-file-flush"
    public static let fsfreezeStatus = "guest-fsfreeze-status"
    public static let fsfreezeFreeze = "guest-fsfreeze-freeze"
    public static let fsfreezeFreezeList = "guest-fsfreeze-freeze-list"
    public static let fsfreezeThaw = "guest-fsfreeze-thaw"
    public static let fstrim = "guest-fstrim"
    public static let suspendDisk = "guest-suspend-disk"
    public static let suspendRam = "guest-suspend-ram"
    public static let suspendHybrid = "guest-suspend-hybrid"
    public static let networkGetInterfaces = "guest-network-get-interfaces"
    public static let getVCPUs = "guest-get-vcpus"
    public static let setVCPUs = "guest-set-vcpus"
    public static let getDisks = "guest-get-disks"
    public static let getFSInfo = "guest-get-fsinfo"
    public static let setUserPassword = "guest-set-user-password"
    public static let getMemoryBlocks = "guest-get-memory-blocks"
    public static let setMemoryBlocks = "guest-set-memory-blocks"
    public static let getMemoryBlockInfo = "guest-get-memory-block-info"
    public static let execStatus = "guest-exec-status"
    public static let exec = "guest-exec"
    public static let getHostName = "guest-get-host-name"
    public static let getUsers = "guest-get-users"
    public static let getTimezone = "guest-get-timezone"
    public static let getOSInfo = "guest-get-osinfo"
    public static let getDevices = "guest-get-devices"
    public static let sshGetAuthorizedKeys = "guest-ssh-get-authorized-keys"
    public static let sshAddAuthorizedKeys = "guest-ssh-add-authorized-keys"
    public static let sshRemoveAuthorizedKeys = "guest-ssh-remove-authorized-keys"
    public static let getDiskStats = "guest-get-diskstats"
    public static let getCPUStats = "guest-get-cpustats"
    public static let networkGetRoute = "guest-network-get-route"

    /// All 43 commands of the reference, in its order.
    public static let all: [String] = [
        syncDelimited, sync, ping, getTime, setTime, info, shutdown,
        fileOpen, fileClose, fileRead, fileWrite, fileSeek, fileFlush,
        fsfreezeStatus, fsfreezeFreeze, fsfreezeFreezeList, fsfreezeThaw, fstrim,
        suspendDisk, suspendRam, suspendHybrid,
        networkGetInterfaces, getVCPUs, setVCPUs, getDisks, getFSInfo, setUserPassword,
        getMemoryBlocks, setMemoryBlocks, getMemoryBlockInfo, execStatus, exec,
        getHostName, getUsers, getTimezone, getOSInfo, getDevices,
        sshGetAuthorizedKeys, sshAddAuthorizedKeys, sshRemoveAuthorizedKeys,
        getDiskStats, getCPUStats, networkGetRoute,
    ]

    /// Commands that never reply on success.
    public static let noReply: Set<String> = [shutdown, suspendDisk, suspendRam, suspendHybrid]

    /// Commands that only observe the guest. Everything else changes it or runs code in it
    /// (files, exec, freeze, time, power, passwords, keys, vCPUs, memory blocks).
    public static let readOnly: Set<String> = [
        syncDelimited, sync, ping, getTime, info, fsfreezeStatus, networkGetInterfaces,
        getVCPUs, getDisks, getFSInfo, getMemoryBlocks, getMemoryBlockInfo, getHostName,
        getUsers, getTimezone, getOSInfo, getDevices, sshGetAuthorizedKeys, getDiskStats,
        getCPUStats, networkGetRoute,
    ]
}
