extension GuestProfile {
    /// Draws guest `index` as for the default agent, then adapts it to `agent` with a stream of
    /// its own: the default draw stays exactly as it was, and a guest keeps its CPUs, sizes and
    /// habits whichever agent the mix gives it.
    init(index: Int, seed: UInt64, agent: AgentProfile) {
        self.init(index: index, seed: seed)
        self.agent = agent
        var random = SeededRandom(seed: seed, UInt64(index), SeededRandom.salt("agent"), SeededRandom.salt(agent.rawValue))
        switch agent {
        case .linux72:
            break
        case .linux10:
            os = OperatingSystem.withAgent10[Int(random.next() % UInt64(OperatingSystem.withAgent10.count))]
            if random.chance(0.5) { moveDataDiskToNVMe(&random) }
        case .linuxOld:
            os = OperatingSystem.withAgent2
        case .windowsOld, .windowsNew:
            becomeWindows(&random)
        }
    }

    /// The data disk becomes an NVMe namespace (major 259), which 10.0 reports SMART data for.
    private mutating func moveDataDiskToNVMe(_ random: inout SeededRandom) {
        guard let position = disks.firstIndex(where: { $0.name == "vdb" }) else { return }
        disks[position].name = "nvme0n1"
        disks[position].major = 259
        disks[position].minor = 0
        disks[position].address.busType = "nvme"
        disks[position].address.device = "/dev/nvme0n1"
        // Without udev in the guest the agent finds no serial (as in the captured reply).
        disks[position].address.serial = random.chance(0.5) ? "NVME" + Format.padded(index, width: 8) : nil
        for fs in filesystems.indices where filesystems[fs].device == "vdb" {
            filesystems[fs].device = "nvme0n1"
            filesystems[fs].address = disks[position].address
        }
    }

    /// Windows on the same hardware: physical drives behind virtio-scsi, NTFS volumes with
    /// drive letters plus the letterless system ones, the optical drive as CDFS, the adapter
    /// names Windows gives, and Administrator for root.
    private mutating func becomeWindows(_ random: inout SeededRandom) {
        os = OperatingSystem.windows[random.chance(0.7) ? 0 : 1]
        let dataFilesystem = filesystems.first { $0.mountpoint == "/data" }
        let cdrom = filesystems.first { $0.type == "iso9660" }

        // The optical drive is no disk to the agent: it appears in fsinfo only.
        var drives = disks.filter { $0.name != "sr0" }
        for number in drives.indices {
            drives[number].name = "PhysicalDrive\(number)"
            drives[number].partitions = []
            drives[number].address = DiskAddress(
                busType: "scsi", pciSlot: 0, pciFunction: 0, device: "\\\\.\\PhysicalDrive\(number)",
                serial: Self.windowsSerial(&random), pciBus: 4 + number)
        }
        disks = drives

        // Kept in mount order; fsinfo lists the newest first, as the agent prepends.
        let system = drives[0].address
        var volumes = [
            Filesystem(
                device: Self.volumeName(&random), mountpoint: "C:\\", type: "NTFS",
                totalBytes: filesystems[0].totalBytes, usage: filesystems[0].usage, address: system),
            Filesystem(
                device: Self.volumeName(&random), mountpoint: "System Reserved", type: "FAT32", totalBytes: 100 << 20,
                usage: .steady(fraction: 0.3 + random.unit() * 0.05), address: system, letterless: true),
            Filesystem(
                device: Self.volumeName(&random), mountpoint: "System Reserved", type: "NTFS",
                totalBytes: UInt64(500 + random.next() % 400) << 20, usage: .steady(fraction: 0.8 + random.unit() * 0.1),
                address: system, letterless: true),
        ]
        var letters = Array("DEFGH").makeIterator()
        if let dataFilesystem, drives.count > 1 {
            volumes.append(
                Filesystem(
                    device: Self.volumeName(&random), mountpoint: "\(letters.next()!):\\", type: "NTFS",
                    totalBytes: dataFilesystem.totalBytes, usage: dataFilesystem.usage, address: drives[1].address))
        }
        if let cdrom {
            // Optical volumes: no PCI address, and the volume's own path as device (captured).
            let guid = Self.volumeGUID(&random, optical: true)
            volumes.append(
                Filesystem(
                    device: "\\\\?\\Volume{\(guid)}\\", mountpoint: "\(letters.next()!):\\", type: "CDFS",
                    totalBytes: cdrom.totalBytes, usage: .full,
                    address: DiskAddress(
                        busType: "sata", pciSlot: -1, pciFunction: -1, device: "\\\\?\\Volume{\(guid)}", serial: nil,
                        pciDomain: -1, pciBus: -1)))
        }
        filesystems = volumes

        // Adapters first and the loopback last, as GetAdaptersAddresses lists them. Windows
        // makes up its link-local addresses and writes the interface index as their zone.
        var adapters: [Interface] = []
        for (nic, interface) in interfaces.dropFirst().enumerated() {
            var adapter = interface
            adapter.name = nic == 0 ? "Ethernet" : "Ethernet \(nic + 1)"
            let linkLocal = ("ipv6", Self.randomLinkLocal(&random) + "%\(4 + nic * 3)", 64)
            adapter.addresses = [linkLocal] + interface.addresses.filter { !$0.address.hasPrefix("fe80::") }
            adapters.append(adapter)
        }
        adapters.append(
            Interface(
                name: "Loopback Pseudo-Interface 1", mac: nil, addresses: [("ipv6", "::1", 128), ("ipv4", "127.0.0.1", 8)],
                receiveBytes: .idle, transmitBytes: .idle, bytesPerPacket: 1, errorEvery: 0))
        interfaces = adapters

        for user in users.indices where users[user].name == "root" { users[user].name = "Administrator" }
    }

    /// `\\?\Volume{GUID}\`, the name the agent gives every volume.
    private static func volumeName(_ random: inout SeededRandom) -> String {
        "\\\\?\\Volume{\(volumeGUID(&random, optical: false))}\\"
    }

    /// Fixed volumes get random (version 4) GUIDs; optical ones time-based GUIDs with the
    /// constant node Windows uses for them (as in the captured reply).
    private static func volumeGUID(_ random: inout SeededRandom, optical: Bool) -> String {
        func hex(_ digits: Int) -> String {
            let text = String(random.next() & ((1 << (4 * UInt64(digits))) - 1), radix: 16)
            return String(repeating: "0", count: digits - text.count) + text
        }
        if optical { return "\(hex(8))-\(hex(4))-11\(hex(2))-\(hex(4))-806e6f6e6963" }
        let variant = ["8", "9", "a", "b"][Int(random.next() % 4)]
        return "\(hex(8))-\(hex(4))-4\(hex(3))-\(variant)\(hex(3))-\(hex(12))"
    }

    /// A random-looking serial like the one QEMU gives virtio-scsi disks under some managers.
    private static func windowsSerial(_ random: inout SeededRandom) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<8).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    private static func randomLinkLocal(_ random: inout SeededRandom) -> String {
        "fe80::" + (0..<4).map { _ in String(random.next() & 0xFFFF, radix: 16) }.joined(separator: ":")
    }
}
