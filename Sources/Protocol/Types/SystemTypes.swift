// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// `guest-get-host-name` (since 2.10).
public struct GuestHostName: Codable, Sendable, Hashable {
    /// The machine's name (not necessarily fully qualified).
    public var hostName: String

    enum CodingKeys: String, CodingKey {
        case hostName = "host-name"
    }
}

/// A logged-in user: `guest-get-users` (since 2.10).
public struct GuestUser: Codable, Sendable, Hashable {
    /// User name.
    public var user: String
    /// Logon domain (Windows).
    public var domain: String?
    /// Earliest login of this user, fractional seconds since the epoch.
    public var loginTime: Double

    enum CodingKeys: String, CodingKey {
        case user
        case domain
        case loginTime = "login-time"
    }
}

/// `guest-get-timezone` (since 2.10).
public struct GuestTimezone: Codable, Sendable, Hashable {
    /// Time zone name, informational only.
    public var zone: String?
    /// Offset to UTC in seconds, east positive.
    public var offset: Int
}

/// `guest-get-osinfo` (since 2.10). On POSIX, os-release(5) fields, absent when unknown.
public struct GuestOSInfo: Codable, Sendable, Hashable {
    /// uname release, or the Windows build number.
    public var kernelRelease: String?
    /// uname version, or the Windows version number.
    public var kernelVersion: String?
    /// uname machine, or x86, x86_64, arm, ia64.
    public var machine: String?
    /// os-release ID, or "mswindows".
    public var id: String?
    /// os-release NAME.
    public var name: String?
    /// os-release PRETTY_NAME, or the Windows product name.
    public var prettyName: String?
    /// os-release VERSION.
    public var version: String?
    /// os-release VERSION_ID.
    public var versionId: String?
    /// os-release VARIANT, or "server"/"client".
    public var variant: String?
    /// os-release VARIANT_ID, or "server"/"client".
    public var variantId: String?

    enum CodingKeys: String, CodingKey {
        case kernelRelease = "kernel-release"
        case kernelVersion = "kernel-version"
        case machine
        case id
        case name
        case prettyName = "pretty-name"
        case version
        case versionId = "version-id"
        case variant
        case variantId = "variant-id"
    }
}

/// Device type of `guest-get-devices`.
public enum GuestDeviceType: OpenEnum {
    case pci
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.pci]

    public var rawValue: String {
        switch self {
        case .pci: "pci"
        case .unknown(let raw): raw
        }
    }
}

/// PCI ids of a device.
public struct GuestDeviceIdPCI: Codable, Sendable, Hashable {
    /// Vendor id.
    public var vendorId: Int
    /// Device id.
    public var deviceId: Int

    enum CodingKeys: String, CodingKey {
        case vendorId = "vendor-id"
        case deviceId = "device-id"
    }
}

/// Id of a device: a flat union on `type`.
public enum GuestDeviceId: Codable, Sendable, Hashable {
    case pci(GuestDeviceIdPCI)
    /// A device type this library does not know: its `type` and all members, as sent.
    case unknown(type: String, members: JSONValue)

    public var type: GuestDeviceType {
        switch self {
        case .pci: .pci
        case .unknown(let type, _): GuestDeviceType(rawValue: type)
        }
    }

    public init(from decoder: any Decoder) throws {
        let type = try FlatUnion.type(String.self, in: decoder)
        switch GuestDeviceType(rawValue: type) {
        case .pci: self = .pci(try GuestDeviceIdPCI(from: decoder))
        case .unknown: self = .unknown(type: type, members: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .pci(let id): try FlatUnion.encode(id, type: GuestDeviceType.pci, to: encoder)
        case .unknown(_, let members): try members.encode(to: encoder)
        }
    }
}

/// One device driver: `guest-get-devices` (Windows, since 5.2).
public struct GuestDeviceInfo: Codable, Sendable, Hashable {
    /// Driver name.
    public var driverName: String
    /// Driver release date, nanoseconds since the epoch.
    public var driverDate: Int64?
    /// Driver version.
    public var driverVersion: String?
    /// Device id.
    public var id: GuestDeviceId?

    enum CodingKeys: String, CodingKey {
        case driverName = "driver-name"
        case driverDate = "driver-date"
        case driverVersion = "driver-version"
        case id
    }
}

/// `guest-ssh-get-authorized-keys` (since 5.2).
public struct GuestAuthorizedKeys: Codable, Sendable, Hashable {
    /// Public keys in authorized_keys format.
    public var keys: [String]
}
