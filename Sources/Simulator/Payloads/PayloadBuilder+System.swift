extension PayloadBuilder {
    /// `guest-get-fsinfo`: newest mount first, as the agent builds its list.
    func filesystems() -> JSONValue {
        .array(profile.filesystems.reversed().map { filesystem in
            let used = usedBytes(filesystem)
            return .object([
                "name": .string(filesystem.device), "mountpoint": .string(filesystem.mountpoint),
                "type": .string(filesystem.type), "used-bytes": .uint(used),
                "total-bytes": .uint(filesystem.totalBytes), "disk": .array([Self.address(filesystem.address)]),
            ])
        })
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

    static func address(_ address: GuestProfile.DiskAddress) -> JSONValue {
        .object([
            "pci-controller": .object([
                "domain": .int(0), "bus": .int(0), "slot": .int(address.pciSlot), "function": .int(address.pciFunction),
            ]),
            "bus-type": .string(address.busType), "bus": .int(0), "target": .int(0), "unit": .int(0),
            "dev": .string(address.device), "serial": address.serial.map(JSONValue.string),
        ])
    }

    /// `guest-get-disks`: whole disks, then their partitions depending on them.
    func disks() -> JSONValue {
        var entries: [JSONValue] = []
        for disk in profile.disks {
            entries.append(.object([
                "name": .string("/dev/\(disk.name)"), "partition": .bool(false), "dependencies": .array([]),
                "address": Self.address(disk.address),
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
            logged.append(.object(["user": .string(user.name), "login-time": .double(loginTime)]))
        }
        return .array(logged)
    }

    func osInfo() -> JSONValue {
        let os = profile.os
        return .object([
            "name": .string(os.name), "kernel-release": .string(os.kernelRelease), "version": .string(os.version),
            "pretty-name": .string(os.prettyName), "version-id": .string(os.versionID),
            "kernel-version": .string(os.kernelVersion), "machine": .string(os.machine), "id": .string(os.id),
        ])
    }

    func hostName() -> JSONValue { .object(["host-name": .string(profile.hostName)]) }

    func timezone() -> JSONValue {
        .object(["zone": .string(profile.timezone.zone), "offset": .int(profile.timezone.offset)])
    }

    /// `guest-get-vcpus`: the agent lists the highest logical id first; CPU 0 cannot go offline.
    func vcpus() -> JSONValue {
        .array(profile.cpus.indices.reversed().map { index in
            .object(["online": .bool(true), "can-offline": .bool(index != 0), "logical-id": .int(index)])
        })
    }

    func memoryBlocks() -> JSONValue {
        .array((0..<profile.memoryBlocks).map { index in
            .object(["online": .bool(true), "can-offline": .bool(index != 0), "phys-index": .int(index)])
        })
    }
}
