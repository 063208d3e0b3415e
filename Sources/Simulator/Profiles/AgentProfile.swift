/// Which guest agent a simulated guest runs. Real fleets mix agents years apart: the same
/// client meets qemu-ga 2.x on old distributions, 10.x on new ones, and the virtio-win agent on
/// Windows, each listing other commands in `guest-info` and answering them differently.
public enum AgentProfile: String, CaseIterable, Sendable, Hashable {
    /// qemu-ga 7.2 on Linux: what every guest was before profiles, and still the default.
    case linux72 = "linux-7.2"
    /// qemu-ga 10.0: adds `guest-get-load`, `guest-network-get-route` and
    /// `total-bytes-privileged` in `guest-get-fsinfo`; half its guests with a data disk have it
    /// on NVMe, whose SMART data `guest-get-disks` reports.
    case linux10 = "linux-10"
    /// The virtio-win agent before 10.2 (QEMU before 9.1 underneath): lists disk and CPU stats
    /// but only has stubs for them, and letterless volumes come without sizes.
    case windowsOld = "windows-old"
    /// The Windows agent from 10.2: unsupported commands are left out of the schema, letterless
    /// volumes have sizes, and `guest-get-load` is emulated from the first call on.
    case windowsNew = "windows-new"
    /// qemu-ga 2.12 (CentOS 7): no usage in `guest-get-fsinfo`, no serial or device node in disk
    /// addresses, no stats, disks, load or routes, and the old refusal wording.
    case linuxOld = "linux-old"

    public static let `default` = AgentProfile.linux72

    /// What `guest-info` reports (linux-7.2 takes `GuestConfiguration.agentVersion` instead).
    public var version: String {
        switch self {
        case .linux72: "7.2.22"
        case .linux10: "10.0.2"
        // virtio-win numbers its agent on its own scale (a captured 107.0.1); upstream MSI
        // builds report QEMU's version.
        case .windowsOld: "107.0.1"
        case .windowsNew: "10.2.0"
        case .linuxOld: "2.12.0"
        }
    }

    public var isWindows: Bool { self == .windowsOld || self == .windowsNew }

    /// The commands `guest-info` lists, in its order, and how the agent treats them.
    var commands: CommandTable {
        switch self {
        case .linux72: CommandCatalogue.linux72
        case .linux10: CommandCatalogue.linux10
        case .windowsOld: CommandCatalogue.windowsOld
        case .windowsNew: CommandCatalogue.windowsNew
        case .linuxOld: CommandCatalogue.linuxOld
        }
    }

    /// How the dispatcher words a refusal of a known command, which changed twice.
    enum RefusalStyle {
        /// 2.x: GenericError "The command X has been disabled for this instance", whatever the cause.
        case legacy
        /// 4.1 to 9.0: CommandNotFound "Command X has been disabled", with the freeze as reason.
        case reasoned
        /// 9.1 on: one filter decides, so blocked and frozen-out commands read the same.
        case filtered
    }

    var refusalStyle: RefusalStyle {
        switch self {
        case .linuxOld: .legacy
        case .linux72, .windowsOld: .reasoned
        case .linux10, .windowsNew: .filtered
        }
    }

    /// `used-bytes` and `total-bytes` in `guest-get-fsinfo` (since 3.0).
    var reportsFilesystemUsage: Bool { self != .linuxOld }

    /// `serial` and `dev` in disk addresses (since 3.1).
    var reportsDiskSerialAndDevice: Bool { self != .linuxOld }

    /// `total-bytes-privileged` (since 9.1, POSIX agents only).
    var reportsPrivilegedTotal: Bool { self == .linux10 }

    /// Volumes without a drive letter got sizes in the Windows agent 10.2.
    var sizesLetterlessVolumes: Bool { self == .windowsNew }

    /// Windows has no load average: the agent samples the processor queue every 5 s, but only
    /// from the first `guest-get-load` on, so the first answer is all zeros.
    var emulatesLoad: Bool { self == .windowsNew }

    /// Linux 2.x agents listed vCPUs counting up; later ones in /sys/devices/system/cpu order.
    var listsVCPUsAscending: Bool { self == .linuxOld || isWindows }
}
