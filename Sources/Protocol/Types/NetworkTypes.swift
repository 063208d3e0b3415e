// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// IP address family.
public enum GuestIpAddressType: OpenEnum {
    case ipv4
    case ipv6
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.ipv4, .ipv6]

    public var rawValue: String {
        switch self {
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .unknown(let raw): raw
        }
    }
}

/// One address of an interface.
public struct GuestIpAddress: Codable, Sendable, Hashable {
    /// The address.
    public var ipAddress: String
    /// Its family.
    public var ipAddressType: GuestIpAddressType
    /// Network prefix length.
    public var prefix: Int

    enum CodingKeys: String, CodingKey {
        case ipAddress = "ip-address"
        case ipAddressType = "ip-address-type"
        case prefix
    }
}

/// Counters of one interface (since 2.11). Windows reports 32-bit octet counters that wrap.
public struct GuestNetworkInterfaceStat: Codable, Sendable, Hashable {
    /// Total bytes received.
    public var rxBytes: UInt64?
    /// Total packets received.
    public var rxPackets: UInt64?
    /// Bad packets received.
    public var rxErrs: UInt64?
    /// Receiver dropped packets.
    public var rxDropped: UInt64?
    /// Total bytes transmitted.
    public var txBytes: UInt64?
    /// Total packets transmitted.
    public var txPackets: UInt64?
    /// Packet transmit problems.
    public var txErrs: UInt64?
    /// Dropped packets transmitted.
    public var txDropped: UInt64?

    enum CodingKeys: String, CodingKey {
        case rxBytes = "rx-bytes"
        case rxPackets = "rx-packets"
        case rxErrs = "rx-errs"
        case rxDropped = "rx-dropped"
        case txBytes = "tx-bytes"
        case txPackets = "tx-packets"
        case txErrs = "tx-errs"
        case txDropped = "tx-dropped"
    }
}

/// One network interface: `guest-network-get-interfaces`.
public struct GuestNetworkInterface: Codable, Sendable, Hashable {
    /// Interface name.
    public var name: String
    /// MAC address.
    public var hardwareAddress: String?
    /// Addresses assigned to it.
    public var ipAddresses: [GuestIpAddress]?
    /// Counters (since 2.11).
    public var statistics: GuestNetworkInterfaceStat?

    enum CodingKeys: String, CodingKey {
        case name
        case hardwareAddress = "hardware-address"
        case ipAddresses = "ip-addresses"
        case statistics
    }
}

/// One route: `guest-network-get-route` (since 9.1 on Linux, 11.0 on Windows). Windows agents
/// leave out the members marked "not for windows" (irtt, flags, refcnt, use, window, mtu).
public struct GuestNetworkRoute: Codable, Sendable, Hashable {
    /// Egress interface.
    public var iface: String
    /// Destination network or host.
    public var destination: String
    /// Route metric.
    public var metric: Int
    /// Next hop router.
    public var gateway: String?
    /// Subnet mask (IPv4).
    public var mask: String?
    /// Initial round-trip delay (IPv4).
    public var irtt: Int?
    /// Route flags (uint64 in the schema: local IPv6 routes carry values above Int64.max).
    public var flags: UInt64?
    /// Reference count.
    public var refcnt: Int?
    /// Usage count.
    public var use: Int?
    /// TCP window size (IPv4).
    public var window: Int?
    /// Maximum packet size.
    public var mtu: Int?
    /// Destination prefix length (IPv6).
    public var desprefixlen: String?
    /// Source address (IPv6).
    public var source: String?
    /// Source prefix length (IPv6).
    public var srcprefixlen: String?
    /// Next hop address (IPv6).
    public var nexthop: String?
    /// IP version, 4 or 6.
    public var version: Int
}
