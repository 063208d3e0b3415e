/// Builds the replies that describe a guest at a moment: pure functions of the profile and the
/// time, so any two calls at the same time agree and counters only grow between reboots.
struct PayloadBuilder {
    let profile: GuestProfile
    /// Seconds since the epoch (host clock).
    let time: Double

    var bootTime: Double { profile.bootTime(at: time) }

    /// `guest-get-cpustats`: per CPU, milliseconds in each mode since boot, in the 10 ms steps
    /// of USER_HZ that Linux reports.
    func cpuStats() -> JSONValue {
        let uptimeMs = (time - bootTime) * 1000
        return .array(profile.cpus.enumerated().map { index, cpu in
            var object = JSONObject(["cpu": .int(index), "type": .string("linux")])
            var busy = 0.0
            for (mode, activity) in cpu.modes {
                let milliseconds = activity.total(from: bootTime, to: time)
                busy += milliseconds
                object[mode] = .uint(Self.ticks(milliseconds))
            }
            object["idle"] = .uint(Self.ticks(uptimeMs - busy))
            return .object(object)
        })
    }

    private static func ticks(_ milliseconds: Double) -> UInt64 {
        UInt64(max(0, milliseconds) / 10) * 10
    }

    /// `guest-get-diskstats`: whole disks and their partitions, as in /proc/diskstats.
    func diskStats() -> JSONValue {
        var entries: [JSONValue] = []
        for disk in profile.disks {
            entries.append(diskEntry(disk, name: disk.name, minor: disk.minor, share: 1))
            for partition in disk.partitions {
                entries.append(diskEntry(disk, name: partition.name, minor: partition.minor, share: partition.share))
            }
        }
        return .array(entries)
    }

    private func diskEntry(_ disk: GuestProfile.Disk, name: String, minor: Int, share: Double) -> JSONValue {
        let reads = disk.reads.total(from: bootTime, to: time) * share
        let writes = disk.writes.total(from: bootTime, to: time) * share
        let discards = disk.discards.total(from: bootTime, to: time) * share
        let flushes = disk.flushes.total(from: bootTime, to: time) * share
        let readTicks = reads * disk.readLatencyMs
        let writeTicks = writes * disk.writeLatencyMs
        var stats = JSONObject([
            "read-ios": .uint(UInt64(reads)),
            "read-merges": .uint(UInt64(reads * 0.12)),
            "read-sectors": .uint(UInt64(reads * disk.sectorsPerRead)),
            "read-ticks": .uint(UInt64(readTicks)),
            "write-ios": .uint(UInt64(writes)),
            "write-merges": .uint(UInt64(writes * 0.6)),
            "write-sectors": .uint(UInt64(writes * disk.sectorsPerWrite)),
            "write-ticks": .uint(UInt64(writeTicks)),
            "ios-pgr": .uint(0),
            "total-ticks": .uint(UInt64((readTicks + writeTicks) * 0.7)),
            "weight-ticks": .uint(UInt64(readTicks + writeTicks)),
        ])
        if profile.os.hasDiscardStats {
            stats["discard-ios"] = .uint(UInt64(discards))
            stats["discard-merges"] = .uint(0)
            stats["discard-sectors"] = .uint(UInt64(discards * 2048))
            stats["discard-ticks"] = .uint(UInt64(discards * 0.08))
        }
        if profile.os.hasFlushStats {
            stats["flush-ios"] = .uint(UInt64(flushes))
            stats["flush-ticks"] = .uint(UInt64(flushes * 0.03))
        }
        return .object(["name": .string(name), "major": .int(disk.major), "minor": .int(minor), "stats": .object(stats)])
    }

    /// `guest-network-get-interfaces`: addresses and counters since boot.
    func interfaces() -> JSONValue {
        .array(profile.interfaces.map { interface in
            let received = interface.receiveBytes.total(from: bootTime, to: time)
            let transmitted = interface.transmitBytes.total(from: bootTime, to: time)
            let receivedPackets = received / interface.bytesPerPacket
            let transmittedPackets = transmitted / interface.bytesPerPacket
            let statistics = JSONObject([
                "rx-bytes": .uint(UInt64(received)),
                "rx-packets": .uint(UInt64(receivedPackets)),
                "rx-errs": .uint(UInt64(receivedPackets * interface.errorEvery)),
                "rx-dropped": .uint(UInt64(receivedPackets * interface.errorEvery * 3)),
                "tx-bytes": .uint(UInt64(transmitted)),
                "tx-packets": .uint(UInt64(transmittedPackets)),
                "tx-errs": .uint(0),
                "tx-dropped": .uint(0),
            ])
            let addresses = interface.addresses.map { address in
                JSONValue.object([
                    "ip-address-type": .string(address.type), "ip-address": .string(address.address),
                    "prefix": .int(address.prefix),
                ])
            }
            return .object([
                "name": .string(interface.name), "hardware-address": interface.mac.map(JSONValue.string),
                "ip-addresses": .array(addresses), "statistics": .object(statistics),
            ])
        })
    }
}
