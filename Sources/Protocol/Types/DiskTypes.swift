// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// Bus type of a disk. The agent's own "unknown" is `unknownBus`.
public enum GuestDiskBusType: OpenEnum {
    case ide
    case fdc
    case scsi
    case virtio
    case xen
    case usb
    case uml
    case sata
    case sd
    case unknownBus
    case ieee1394
    case ssa
    case fibre
    case raid
    case iscsi
    case sas
    case mmc
    case virtual
    case fileBackedVirtual
    case nvme
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [
        .ide, .fdc, .scsi, .virtio, .xen, .usb, .uml, .sata, .sd, .unknownBus, .ieee1394, .ssa, .fibre, .raid,
        .iscsi, .sas, .mmc, .virtual, .fileBackedVirtual, .nvme,
    ]

    public var rawValue: String {
        switch self {
        case .ide: "ide"
        case .fdc: "fdc"
        case .scsi: "scsi"
        case .virtio: "virtio"
        case .xen: "xen"
        case .usb: "usb"
        case .uml: "uml"
        case .sata: "sata"
        case .sd: "sd"
        case .unknownBus: "unknown"
        case .ieee1394: "ieee1394"
        case .ssa: "ssa"
        case .fibre: "fibre"
        case .raid: "raid"
        case .iscsi: "iscsi"
        case .sas: "sas"
        case .mmc: "mmc"
        case .virtual: "virtual"
        case .fileBackedVirtual: "file-backed-virtual"
        case .nvme: "nvme"
        case .unknown(let raw): raw
        }
    }
}

/// PCI address of a disk controller. Every field is -1 when the agent could not tell.
public struct GuestPCIAddress: Codable, Sendable, Hashable {
    /// Domain id.
    public var domain: Int
    /// Bus id.
    public var bus: Int
    /// Slot id.
    public var slot: Int
    /// Function id.
    public var function: Int

    /// False when the agent reported the -1 placeholders.
    public var isValid: Bool { domain >= 0 && bus >= 0 && slot >= 0 && function >= 0 }
}

/// CCW address on s390x.
public struct GuestCCWAddress: Codable, Sendable, Hashable {
    /// Channel subsystem image id.
    public var cssid: Int
    /// Subchannel set id.
    public var ssid: Int
    /// Subchannel number.
    public var subchno: Int
    /// Device number.
    public var devno: Int
}

/// Where a disk sits in the guest's hardware.
public struct GuestDiskAddress: Codable, Sendable, Hashable {
    /// Controller's PCI address (fields -1 if invalid).
    public var pciController: GuestPCIAddress
    /// Bus type.
    public var busType: GuestDiskBusType
    /// Bus id.
    public var bus: Int
    /// Target id.
    public var target: Int
    /// Unit id.
    public var unit: Int
    /// Serial number (since 3.1).
    public var serial: String?
    /// Device node or UNC (since 3.1).
    public var dev: String?
    /// CCW address on s390x (since 6.0).
    public var ccwAddress: GuestCCWAddress?

    enum CodingKeys: String, CodingKey {
        case pciController = "pci-controller"
        case busType = "bus-type"
        case bus
        case target
        case unit
        case serial
        case dev
        case ccwAddress = "ccw-address"
    }
}

/// NVMe SMART / Health Information (log 02h). 128-bit counters come as lo/hi halves.
public struct GuestNVMeSmart: Codable, Sendable, Hashable {
    public var criticalWarning: UInt64
    public var temperature: UInt64
    public var availableSpare: UInt64
    public var availableSpareThreshold: UInt64
    public var percentageUsed: UInt64
    public var dataUnitsReadLo: UInt64
    public var dataUnitsReadHi: UInt64
    public var dataUnitsWrittenLo: UInt64
    public var dataUnitsWrittenHi: UInt64
    public var hostReadCommandsLo: UInt64
    public var hostReadCommandsHi: UInt64
    public var hostWriteCommandsLo: UInt64
    public var hostWriteCommandsHi: UInt64
    public var controllerBusyTimeLo: UInt64
    public var controllerBusyTimeHi: UInt64
    public var powerCyclesLo: UInt64
    public var powerCyclesHi: UInt64
    public var powerOnHoursLo: UInt64
    public var powerOnHoursHi: UInt64
    public var unsafeShutdownsLo: UInt64
    public var unsafeShutdownsHi: UInt64
    public var mediaErrorsLo: UInt64
    public var mediaErrorsHi: UInt64
    public var numberOfErrorLogEntriesLo: UInt64
    public var numberOfErrorLogEntriesHi: UInt64

    enum CodingKeys: String, CodingKey {
        case criticalWarning = "critical-warning"
        case temperature
        case availableSpare = "available-spare"
        case availableSpareThreshold = "available-spare-threshold"
        case percentageUsed = "percentage-used"
        case dataUnitsReadLo = "data-units-read-lo"
        case dataUnitsReadHi = "data-units-read-hi"
        case dataUnitsWrittenLo = "data-units-written-lo"
        case dataUnitsWrittenHi = "data-units-written-hi"
        case hostReadCommandsLo = "host-read-commands-lo"
        case hostReadCommandsHi = "host-read-commands-hi"
        case hostWriteCommandsLo = "host-write-commands-lo"
        case hostWriteCommandsHi = "host-write-commands-hi"
        case controllerBusyTimeLo = "controller-busy-time-lo"
        case controllerBusyTimeHi = "controller-busy-time-hi"
        case powerCyclesLo = "power-cycles-lo"
        case powerCyclesHi = "power-cycles-hi"
        case powerOnHoursLo = "power-on-hours-lo"
        case powerOnHoursHi = "power-on-hours-hi"
        case unsafeShutdownsLo = "unsafe-shutdowns-lo"
        case unsafeShutdownsHi = "unsafe-shutdowns-hi"
        case mediaErrorsLo = "media-errors-lo"
        case mediaErrorsHi = "media-errors-hi"
        case numberOfErrorLogEntriesLo = "number-of-error-log-entries-lo"
        case numberOfErrorLogEntriesHi = "number-of-error-log-entries-hi"
    }
}

/// Disk SMART data: a flat union on `type`; only NVMe carries members.
public enum GuestDiskSmart: Codable, Sendable, Hashable {
    case nvme(GuestNVMeSmart)
    /// Any other bus type, with whatever members came with it.
    case other(type: GuestDiskBusType, members: JSONValue)

    public var type: GuestDiskBusType {
        switch self {
        case .nvme: .nvme
        case .other(let type, _): type
        }
    }

    public init(from decoder: any Decoder) throws {
        let type = try FlatUnion.type(GuestDiskBusType.self, in: decoder)
        if type == .nvme {
            self = .nvme(try GuestNVMeSmart(from: decoder))
        } else {
            self = .other(type: type, members: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .nvme(let smart): try FlatUnion.encode(smart, type: GuestDiskBusType.nvme, to: encoder)
        case .other(_, let members): try members.encode(to: encoder)
        }
    }
}

/// One disk: `guest-get-disks` (since 5.2).
public struct GuestDiskInfo: Codable, Sendable, Hashable {
    /// Device node (Linux) or UNC (Windows).
    public var name: String
    /// Whether this is a partition.
    public var partition: Bool
    /// Devices this one depends on (LVM PVs, LUKS backing disk).
    public var dependencies: [String]?
    /// Hardware address (non-virtual devices only).
    public var address: GuestDiskAddress?
    /// Device mapper name.
    public var alias: String?
    /// SMART data (since 7.1).
    public var smart: GuestDiskSmart?
}
