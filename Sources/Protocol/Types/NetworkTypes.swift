// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// IP address family.
public enum GuestIpAddressType: OpenEnum {
    case ipv4
    case ipv6
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public init(rawValue: String) {
        switch rawValue {
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        default: self = .unknown(rawValue)
        }
    }

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

    public init(ipAddress: String, ipAddressType: GuestIpAddressType, prefix: Int) {
        self.ipAddress = ipAddress
        self.ipAddressType = ipAddressType
        self.prefix = prefix
    }

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

    public init(
        rxBytes: UInt64? = nil,
        rxPackets: UInt64? = nil,
        rxErrs: UInt64? = nil,
        rxDropped: UInt64? = nil,
        txBytes: UInt64? = nil,
        txPackets: UInt64? = nil,
        txErrs: UInt64? = nil,
        txDropped: UInt64? = nil
    ) {
        self.rxBytes = rxBytes
        self.rxPackets = rxPackets
        self.rxErrs = rxErrs
        self.rxDropped = rxDropped
        self.txBytes = txBytes
        self.txPackets = txPackets
        self.txErrs = txErrs
        self.txDropped = txDropped
    }

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

    public init(
        name: String,
        hardwareAddress: String? = nil,
        ipAddresses: [GuestIpAddress]? = nil,
        statistics: GuestNetworkInterfaceStat? = nil
    ) {
        self.name = name
        self.hardwareAddress = hardwareAddress
        self.ipAddresses = ipAddresses
        self.statistics = statistics
    }

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

    public init(
        iface: String,
        destination: String,
        metric: Int,
        gateway: String? = nil,
        mask: String? = nil,
        irtt: Int? = nil,
        flags: UInt64? = nil,
        refcnt: Int? = nil,
        use: Int? = nil,
        window: Int? = nil,
        mtu: Int? = nil,
        desprefixlen: String? = nil,
        source: String? = nil,
        srcprefixlen: String? = nil,
        nexthop: String? = nil,
        version: Int
    ) {
        self.iface = iface
        self.destination = destination
        self.metric = metric
        self.gateway = gateway
        self.mask = mask
        self.irtt = irtt
        self.flags = flags
        self.refcnt = refcnt
        self.use = use
        self.window = window
        self.mtu = mtu
        self.desprefixlen = desprefixlen
        self.source = source
        self.srcprefixlen = srcprefixlen
        self.nexthop = nexthop
        self.version = version
    }
}
