// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// Filesystem freeze state.
public enum GuestFsfreezeStatus: OpenEnum {
    case thawed
    case frozen
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.thawed, .frozen]

    public var rawValue: String {
        switch self {
        case .thawed: "thawed"
        case .frozen: "frozen"
        case .unknown(let raw): raw
        }
    }
}

/// Outcome of `guest-fstrim` for one path.
public struct GuestFilesystemTrimResult: Codable, Sendable, Hashable {
    /// Path that was trimmed.
    public var path: String
    /// Error message when trimming failed.
    public var error: String?
    /// Bytes trimmed.
    public var trimmed: UInt64?
    /// Effective minimum reported for this path.
    public var minimum: UInt64?
}

/// Result of `guest-fstrim`.
public struct GuestFilesystemTrimResponse: Codable, Sendable, Hashable {
    /// One entry per trimmed path.
    public var paths: [GuestFilesystemTrimResult]
}

/// One mounted filesystem: `guest-get-fsinfo`.
public struct GuestFilesystemInfo: Codable, Sendable, Hashable {
    /// Disk name.
    public var name: String
    /// Mount point path.
    public var mountpoint: String
    /// Filesystem type.
    public var type: String
    /// Used bytes (since 3.0).
    public var usedBytes: UInt64?
    /// Capacity for unprivileged users (since 3.0).
    public var totalBytes: UInt64?
    /// Capacity for privileged users (since 9.1).
    public var totalBytesPrivileged: UInt64?
    /// Hardware the volume lies on; may be empty.
    public var disk: [GuestDiskAddress]

    enum CodingKeys: String, CodingKey {
        case name
        case mountpoint
        case type
        case usedBytes = "used-bytes"
        case totalBytes = "total-bytes"
        case totalBytesPrivileged = "total-bytes-privileged"
        case disk
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        mountpoint = try container.decode(String.self, forKey: .mountpoint)
        type = try container.decode(String.self, forKey: .type)
        usedBytes = try container.decodeIfPresent(UInt64.self, forKey: .usedBytes)
        totalBytes = try container.decodeIfPresent(UInt64.self, forKey: .totalBytes)
        totalBytesPrivileged = try container.decodeIfPresent(UInt64.self, forKey: .totalBytesPrivileged)
        // Some agents leave `disk` out when they know nothing about the hardware.
        disk = try container.decodeIfPresent([GuestDiskAddress].self, forKey: .disk) ?? []
    }
}
