// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// I/O counters of one disk (since 7.1, Linux). Ticks are 32-bit in the kernel ABI and wrap.
public struct GuestDiskStats: Codable, Sendable, Hashable {
    /// Sectors read.
    public var readSectors: UInt64?
    /// Reads completed.
    public var readIos: UInt64?
    /// Reads merged.
    public var readMerges: UInt64?
    /// Sectors written.
    public var writeSectors: UInt64?
    /// Writes completed.
    public var writeIos: UInt64?
    /// Writes merged.
    public var writeMerges: UInt64?
    /// Sectors discarded.
    public var discardSectors: UInt64?
    /// Discards completed.
    public var discardIos: UInt64?
    /// Discards merged.
    public var discardMerges: UInt64?
    /// Flushes completed.
    public var flushIos: UInt64?
    /// Milliseconds spent reading.
    public var readTicks: UInt64?
    /// Milliseconds spent writing.
    public var writeTicks: UInt64?
    /// Milliseconds spent discarding.
    public var discardTicks: UInt64?
    /// Milliseconds spent flushing.
    public var flushTicks: UInt64?
    /// I/Os in flight now.
    public var iosPgr: UInt64?
    /// Milliseconds spent doing I/O.
    public var totalTicks: UInt64?
    /// Weighted milliseconds spent doing I/O.
    public var weightTicks: UInt64?

    enum CodingKeys: String, CodingKey {
        case readSectors = "read-sectors"
        case readIos = "read-ios"
        case readMerges = "read-merges"
        case writeSectors = "write-sectors"
        case writeIos = "write-ios"
        case writeMerges = "write-merges"
        case discardSectors = "discard-sectors"
        case discardIos = "discard-ios"
        case discardMerges = "discard-merges"
        case flushIos = "flush-ios"
        case readTicks = "read-ticks"
        case writeTicks = "write-ticks"
        case discardTicks = "discard-ticks"
        case flushTicks = "flush-ticks"
        case iosPgr = "ios-pgr"
        case totalTicks = "total-ticks"
        case weightTicks = "weight-ticks"
    }
}

/// One disk of `guest-get-diskstats`.
public struct GuestDiskStatsInfo: Codable, Sendable, Hashable {
    /// Disk name.
    public var name: String
    /// Major device number.
    public var major: Int
    /// Minor device number.
    public var minor: Int
    /// Its counters.
    public var stats: GuestDiskStats

    /// Spelled out because `TreeDecodable` reads the members by these keys.
    enum CodingKeys: String, CodingKey {
        case name
        case major
        case minor
        case stats
    }
}

/// Guest OS of a CPU statistics entry.
public enum GuestCpuStatsType: OpenEnum {
    case linux
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.linux]

    public var rawValue: String {
        switch self {
        case .linux: "linux"
        case .unknown(let raw): raw
        }
    }
}

/// CPU times of one Linux CPU, in milliseconds.
public struct GuestLinuxCpuStats: Codable, Sendable, Hashable {
    /// CPU index in the guest.
    public var cpu: Int
    /// User mode.
    public var user: UInt64?
    /// User mode at low priority.
    public var nice: UInt64?
    /// System mode.
    public var system: UInt64?
    /// Idle task.
    public var idle: UInt64?
    /// Waiting for I/O (Linux 2.5.41+).
    public var iowait: UInt64?
    /// Servicing interrupts.
    public var irq: UInt64?
    /// Servicing softirqs.
    public var softirq: UInt64?
    /// Stolen by the host (Linux 2.6.11+).
    public var steal: UInt64?
    /// Running a guest vCPU.
    public var guest: UInt64?
    /// Running a niced guest.
    public var guestnice: UInt64?

    /// Spelled out because `TreeDecodable` reads the members by these keys.
    enum CodingKeys: String, CodingKey {
        case cpu
        case user
        case nice
        case system
        case idle
        case iowait
        case irq
        case softirq
        case steal
        case guest
        case guestnice
    }
}

/// CPU statistics of one CPU, in milliseconds: a flat union on `type`.
public enum GuestCpuStats: Codable, Sendable, Hashable {
    case linux(GuestLinuxCpuStats)
    /// A guest OS this library does not know: its `type` and all members, as sent.
    case unknown(type: String, members: JSONValue)

    public var type: GuestCpuStatsType {
        switch self {
        case .linux: .linux
        case .unknown(let type, _): GuestCpuStatsType(rawValue: type)
        }
    }

    /// The Linux statistics, if this is a Linux guest.
    public var linux: GuestLinuxCpuStats? {
        if case .linux(let stats) = self { return stats }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let type = try FlatUnion.type(String.self, in: decoder)
        switch GuestCpuStatsType(rawValue: type) {
        case .linux:
            if let tree = decoder as? TreeDecoder {  // the client's own decoder: the fast path
                self = .linux(try GuestLinuxCpuStats(tree: TreeObject(tree.value, path: tree.codingPath)))
            } else {
                self = .linux(try GuestLinuxCpuStats(from: decoder))
            }
        case .unknown: self = .unknown(type: type, members: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .linux(let stats): try FlatUnion.encode(stats, type: GuestCpuStatsType.linux, to: encoder)
        case .unknown(_, let members): try members.encode(to: encoder)
        }
    }
}
