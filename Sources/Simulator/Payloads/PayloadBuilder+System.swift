extension PayloadBuilder {
    /// `guest-get-fsinfo`: newest mount first, as the agent builds its list. Usage came in 3.0,
    /// the privileged total in 9.1; Windows agents before 10.2 leave letterless volumes unsized.
    func filesystems() -> JSONValue {
        let agent = profile.agent
        return .array(profile.filesystems.reversed().map { filesystem in
            let sized = agent.reportsFilesystemUsage && (!filesystem.letterless || agent.sizesLetterlessVolumes)
            return .object([
                "name": .string(filesystem.device), "mountpoint": .string(filesystem.mountpoint),
                "type": .string(filesystem.type), "used-bytes": sized ? .uint(usedBytes(filesystem)) : nil,
                "total-bytes": sized ? .uint(filesystem.totalBytes) : nil,
                "disk": .array([address(filesystem.address)]),
                "total-bytes-privileged": agent.reportsPrivilegedTotal ? .uint(privilegedTotal(filesystem)) : nil,
            ])
        })
    }

    /// What root may fill: ext4 keeps 5% of its blocks for root, other filesystems nothing.
    func privilegedTotal(_ filesystem: GuestProfile.Filesystem) -> UInt64 {
        guard filesystem.type == "ext4" else { return filesystem.totalBytes }
        return UInt64(Double(filesystem.totalBytes / 4096) / 0.95) * 4096
    }

    func usedBytes(_ filesystem: GuestProfile.Filesystem) -> UInt64 {
        let fraction: Double
        switch filesystem.usage {
        case .full:
            return filesystem.totalBytes
        case .steady(let base):
            fraction = base
        case .filling(let low, let high, let period, let phase):
            let progress = (time + phase).truncatingRemainder(dividingBy: period) / period
            fraction = low + (high - low) * progress
        }
        let blocks = UInt64(Double(filesystem.totalBytes / 4096) * fraction)
        return blocks * 4096
    }

    /// A disk address; agents before 3.1 knew neither the serial nor the device node.
    func address(_ address: GuestProfile.DiskAddress) -> JSONValue {
        let full = profile.agent.reportsDiskSerialAndDevice
        return .object([
            "pci-controller": .object([
                "domain": .int(address.pciDomain), "bus": .int(address.pciBus), "slot": .int(address.pciSlot),
                "function": .int(address.pciFunction),
            ]),
            "bus-type": .string(address.busType), "bus": .int(0), "target": .int(0), "unit": .int(0),
            "dev": full ? .string(address.device) : nil, "serial": full ? address.serial.map(JSONValue.string) : nil,
        ])
    }

    /// `guest-get-disks`: whole disks, then their partitions depending on them. Windows lists
    /// physical drives only, last found first, without dependencies.
    func disks() -> JSONValue {
        if profile.agent.isWindows {
            return .array(profile.disks.reversed().map { disk in
                .object([
                    "name": .string(disk.address.device), "partition": .bool(false), "address": address(disk.address),
                ])
            })
        }
        var entries: [JSONValue] = []
        for disk in profile.disks {
            entries.append(.object([
                "name": .string("/dev/\(disk.name)"), "partition": .bool(false), "dependencies": .array([]),
                "address": address(disk.address),
                "smart": disk.address.busType == "nvme" ? nvmeSmart(disk) : nil,
            ]))
            for partition in disk.partitions {
                entries.append(.object([
                    "name": .string("/dev/\(partition.name)"), "partition": .bool(true),
                    "dependencies": .array([.string("/dev/\(disk.name)")]),
                ]))
            }
        }
        return .array(entries)
    }

    /// `guest-get-users`: each user once, with the start of their current session. A user's
    /// day is cut into slots; in a slot chosen by the user's dice they log in at a random point
    /// and stay until the slot ends.
    func users() -> JSONValue {
        var logged: [JSONValue] = []
        for user in profile.users {
            let slot = (time / user.slot).rounded(.down)
            var dice = SeededRandom(seed: profile.seed, UInt64(profile.index), user.salt, UInt64(bitPattern: Int64(slot)))
            guard dice.chance(user.presence) else { continue }
            let login = slot * user.slot + dice.unit() * user.slot * 0.5
            guard login <= time, login >= bootTime else { continue }
            // The agent reports utmp's seconds + microseconds as one double.
            let loginTime = (login * 1_000_000).rounded(.down) / 1_000_000
            // Windows names the account's domain: the machine's own for local accounts.
            let domain = profile.agent.isWindows ? JSONValue.string(profile.hostName.uppercased()) : nil
            logged.append(.object(["user": .string(user.name), "login-time": .double(loginTime), "domain": domain]))
        }
        return .array(logged)
    }

    func osInfo() -> JSONValue {
        let os = profile.os
        return .object([
            "name": .string(os.name), "kernel-release": .string(os.kernelRelease), "version": .string(os.version),
            "pretty-name": .string(os.prettyName), "version-id": .string(os.versionID),
            "kernel-version": .string(os.kernelVersion), "machine": .string(os.machine), "id": .string(os.id),
            "variant": os.variant.map(JSONValue.string), "variant-id": os.variantID.map(JSONValue.string),
        ])
    }

    func hostName() -> JSONValue { .object(["host-name": .string(profile.hostName)]) }

    func timezone() -> JSONValue {
        let zone = profile.agent.isWindows ? Self.windowsZoneNames[profile.timezone.zone] ?? profile.timezone.zone
            : profile.timezone.zone
        return .object(["zone": .string(zone), "offset": .int(profile.timezone.offset)])
    }

    /// Windows reports the time zone's standard name, not an abbreviation.
    static let windowsZoneNames = [
        "UTC": "Coordinated Universal Time", "CET": "W. Europe Standard Time", "EST": "Eastern Standard Time",
        "JST": "Tokyo Standard Time", "IST": "India Standard Time",
    ]

    /// `guest-get-vcpus`: the agent lists the highest logical id first (counting up on 2.x and
    /// Windows); CPU 0 cannot go offline, and on Windows none can.
    func vcpus() -> JSONValue {
        let ids = profile.agent.listsVCPUsAscending ? Array(profile.cpus.indices) : Array(profile.cpus.indices.reversed())
        return .array(ids.map { index in
            .object([
                "online": .bool(true), "can-offline": .bool(index != 0 && !profile.agent.isWindows),
                "logical-id": .int(index),
            ])
        })
    }

    func memoryBlocks() -> JSONValue {
        .array((0..<profile.memoryBlocks).map { index in
            .object(["online": .bool(true), "can-offline": .bool(index != 0), "phys-index": .int(index)])
        })
    }
}
