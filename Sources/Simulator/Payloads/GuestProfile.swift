/// The fixed facts of one simulated guest, drawn once from the fleet seed and the guest's index:
/// its hardware, OS, network, filesystems and habits. Everything that changes over time is
/// computed from these and the clock (see `PayloadBuilder`).
struct GuestProfile: Sendable {
    struct CPU: Sendable {
        /// Milliseconds per second in each busy mode; idle gets the rest.
        var modes: [(name: String, activity: Activity)]
    }

    struct Disk: Sendable {
        var name: String
        var major: Int
        var minor: Int
        var reads: Activity
        var writes: Activity
        var sectorsPerRead: Double
        var sectorsPerWrite: Double
        var readLatencyMs: Double
        var writeLatencyMs: Double
        var discards: Activity
        var flushes: Activity
        /// Partitions share their parent's traffic, each by a fixed fraction.
        var partitions: [(name: String, minor: Int, share: Double)]
        var address: DiskAddress
    }

    struct DiskAddress: Sendable {
        var busType: String
        var pciSlot: Int
        var pciFunction: Int
        var device: String
        var serial: String?
        /// Windows puts each virtio-scsi controller behind its own root port; -1 throughout when
        /// the agent could not tell (optical drives).
        var pciDomain = 0
        var pciBus = 0
    }

    struct Interface: Sendable {
        var name: String
        /// Windows' loopback has none.
        var mac: String?
        var addresses: [(type: String, address: String, prefix: Int)]
        var receiveBytes: Activity
        var transmitBytes: Activity
        var bytesPerPacket: Double
        var errorEvery: Double
    }

    struct Filesystem: Sendable {
        var device: String
        var mountpoint: String
        var type: String
        var totalBytes: UInt64
        var usage: Usage
        var address: DiskAddress
        /// A Windows volume without a drive letter, listed under its label.
        var letterless = false

        enum Usage: Sendable {
            case steady(fraction: Double)
            /// Fills from `low` to `high` over `period` seconds, then is cleaned up and starts again.
            case filling(low: Double, high: Double, period: Double, phase: Double)
            case full
        }
    }

    struct User: Sendable {
        var name: String
        /// Sessions are laid out in slots of this length; a user is logged in for part of a slot.
        var slot: Double
        var presence: Double
        var salt: UInt64
    }

    var index: Int
    var name: String
    var seed: UInt64
    /// The agent the guest runs. The other facts are drawn alike whatever the agent, then
    /// adapted to it (`GuestProfile+Agents`), so a guest keeps its size and habits across mixes.
    var agent = AgentProfile.default
    var hostName: String
    var os: OperatingSystem
    var cpus: [CPU]
    var disks: [Disk]
    var interfaces: [Interface]
    var filesystems: [Filesystem]
    var users: [User]
    var timezone: (zone: String, offset: Int)
    /// The guest reboots every `uptimeCycle` seconds (counters reset), at a seeded phase.
    var uptimeCycle: Double
    var uptimePhase: Double
    var memoryBlocks: Int

    /// When the guest last booted, as of `time`.
    func bootTime(at time: Double) -> Double {
        let sinceCycleStart = (time + uptimePhase).truncatingRemainder(dividingBy: uptimeCycle)
        return time - sinceCycleStart
    }
}

extension GuestProfile {
    static func guestName(index: Int) -> String {
        "guest-" + Format.padded(index)
    }

    /// Draws guest `index` (1-based) of the fleet seeded with `seed`.
    init(index: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed, UInt64(index), SeededRandom.salt("profile"))
        self.index = index
        self.name = Self.guestName(index: index)
        self.seed = seed
        self.hostName = "vm-\(name.dropFirst("guest-".count))"
        self.os = OperatingSystem.catalogue[Int(random.next() % UInt64(OperatingSystem.catalogue.count))]
        self.cpus = (0..<(2 + Int(random.next() % 7))).map { _ in Self.drawCPU(&random) }

        let vda = Self.drawDisk(name: "vda", minor: 0, slot: 4, &random, partitions: [("vda1", 1, 0.93), ("vda2", 2, 0.02)])
        var disks = [vda]
        let hasDataDisk = random.chance(0.7)
        if hasDataDisk { disks.append(Self.drawDisk(name: "vdb", minor: 16, slot: 5, &random, partitions: [])) }
        let hasCDROM = random.chance(0.4)
        let cdrom = DiskAddress(busType: "sata", pciSlot: 31, pciFunction: 2, device: "/dev/sr0", serial: nil)
        if hasCDROM {
            disks.append(
                Disk(
                    name: "sr0", major: 11, minor: 0, reads: .random(base: 0.002, using: &random), writes: .idle,
                    sectorsPerRead: 64, sectorsPerWrite: 0, readLatencyMs: 2, writeLatencyMs: 0,
                    discards: .idle, flushes: .idle, partitions: [], address: cdrom))
        }
        self.disks = disks

        var filesystems: [Filesystem] = []
        let rootSize = UInt64(20 + random.next() % 81) << 30
        filesystems.append(
            Filesystem(
                device: "vda1", mountpoint: "/", type: "ext4", totalBytes: rootSize,
                usage: hasDataDisk ? .steady(fraction: 0.2 + random.unit() * 0.4) : Self.drawFilling(&random),
                address: vda.address))
        filesystems.append(
            Filesystem(
                device: "vda2", mountpoint: "/boot", type: "ext4", totalBytes: 1 << 30,
                usage: .steady(fraction: 0.1 + random.unit() * 0.2), address: vda.address))
        if hasDataDisk {
            filesystems.append(
                Filesystem(
                    device: "vdb", mountpoint: "/data", type: "xfs", totalBytes: UInt64(100 + random.next() % 401) << 30,
                    usage: Self.drawFilling(&random), address: disks[1].address))
        }
        if hasCDROM {
            filesystems.append(
                Filesystem(
                    device: "sr0", mountpoint: "/media/cdrom", type: "iso9660",
                    totalBytes: UInt64(600 + random.next() % 3800) << 20, usage: .full, address: cdrom))
        }
        self.filesystems = filesystems

        var interfaces = [
            Interface(
                name: "lo", mac: "00:00:00:00:00:00",
                addresses: [("ipv4", "127.0.0.1", 8), ("ipv6", "::1", 128)],
                receiveBytes: .random(base: 200, using: &random), transmitBytes: .idle, bytesPerPacket: 120,
                errorEvery: 0)
        ]
        interfaces[0].transmitBytes = interfaces[0].receiveBytes
        let nicCount = random.chance(0.3) ? 2 : 1
        for nic in 0..<nicCount {
            let mac = Self.macAddress(index: index, nic: nic)
            var addresses: [(String, String, Int)] = [
                ("ipv4", nic == 0 ? "10.\(index >> 8 & 0xFF).\(index & 0xFF).\(10 + nic)" : "192.168.\(index >> 8 & 0xFF).\(index & 0xFF)", 24)
            ]
            if nic == 0 { addresses.append(("ipv6", "fd00::\(String(index, radix: 16))", 64)) }
            addresses.append(("ipv6", Self.linkLocal(mac: mac), 64))
            interfaces.append(
                Interface(
                    name: "eth\(nic)", mac: mac, addresses: addresses,
                    receiveBytes: .random(base: 5_000 + random.unit() * 2_000_000, using: &random),
                    transmitBytes: .random(base: 2_000 + random.unit() * 500_000, using: &random),
                    bytesPerPacket: 300 + random.unit() * 1000, errorEvery: random.chance(0.2) ? 1e-6 : 0))
        }
        self.interfaces = interfaces

        self.users = ["root", "admin", "deploy", "alice", "bob"].compactMap { user in
            guard random.chance(user == "root" ? 0.5 : 0.4) else { return nil }
            return User(
                name: user, slot: 1800 + random.unit() * 4 * 3600, presence: 0.2 + random.unit() * 0.6,
                salt: random.next())
        }
        let zones: [(String, Int)] = [("UTC", 0), ("UTC", 0), ("CET", 3600), ("EST", -18000), ("JST", 32400), ("IST", 19800)]
        self.timezone = zones[Int(random.next() % UInt64(zones.count))]
        let uptimeCycle = (3 + random.unit() * 57) * 86400
        self.uptimeCycle = uptimeCycle
        self.uptimePhase = random.unit() * uptimeCycle
        self.memoryBlocks = 8 * (1 << Int(random.next() % 5))
    }

    private static func drawCPU(_ random: inout SeededRandom) -> CPU {
        // Peaks must stay below 1000 ms/s together so idle never runs backwards.
        let busy = 0.02 + random.unit() * 0.25
        let shares: [(String, Double)] = [
            ("user", 0.6), ("nice", 0.01), ("system", 0.2), ("iowait", 0.08), ("irq", 0.01), ("softirq", 0.04),
            ("steal", 0.04), ("guest", 0), ("guestnice", 0),
        ]
        return CPU(modes: shares.map { mode, share in
            (mode, share == 0 ? .idle : .random(base: 1000 * busy * share * (0.5 + random.unit()), using: &random))
        })
    }

    private static func drawDisk(
        name: String, minor: Int, slot: Int, _ random: inout SeededRandom,
        partitions: [(String, Int, Double)]
    ) -> Disk {
        Disk(
            name: name, major: 252, minor: minor, reads: .random(base: 1 + random.unit() * 80, using: &random),
            writes: .random(base: 1 + random.unit() * 40, using: &random), sectorsPerRead: 8 + random.unit() * 56,
            sectorsPerWrite: 8 + random.unit() * 120, readLatencyMs: 0.2 + random.unit() * 3,
            writeLatencyMs: 0.5 + random.unit() * 6, discards: .random(base: random.unit() * 0.5, using: &random),
            flushes: .random(base: 0.5 + random.unit() * 3, using: &random),
            partitions: partitions.map { (name: $0.0, minor: minor + $0.1, share: $0.2) },
            address: DiskAddress(
                busType: "virtio", pciSlot: slot, pciFunction: 0, device: "/dev/\(name)",
                serial: random.chance(0.5) ? "QM000\(Format.padded(Int(random.next() % 10_000)))" : nil))
    }

    private static func drawFilling(_ random: inout SeededRandom) -> Filesystem.Usage {
        let period = (2 + random.unit() * 46) * 3600
        return .filling(low: 0.3 + random.unit() * 0.2, high: 0.995, period: period, phase: random.unit() * period)
    }

    private static func macAddress(index: Int, nic: Int) -> String {
        let bytes = [0x52, 0x54, 0x00, nic, (index >> 8) & 0xFF, index & 0xFF]
        return bytes.map { Format.hex2($0) }.joined(separator: ":")
    }

    /// The EUI-64 link-local address the kernel derives from a MAC.
    private static func linkLocal(mac: String) -> String {
        let bytes = mac.split(separator: ":").map { Int($0, radix: 16)! }
        let groups = [
            (bytes[0] ^ 0x02) << 8 | bytes[1], bytes[2] << 8 | 0xFF, 0xFE << 8 | bytes[3], bytes[4] << 8 | bytes[5],
        ]
        return "fe80::" + groups.map { String($0, radix: 16) }.joined(separator: ":")
    }
}

/// Small fixed-width number formats for names and addresses.
enum Format {
    /// Lower-case two-digit hex, as MAC addresses are written.
    static func hex2(_ value: Int) -> String {
        let hex = String(value, radix: 16)
        return hex.count < 2 ? "0" + hex : hex
    }

    /// Zero-padded decimal of at least `width` digits.
    static func padded(_ value: Int, width: Int = 4) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
