import Foundation

/// Replies only some agents give: load averages, routes, devices and NVMe SMART data.
extension PayloadBuilder {
    /// Runnable tasks averaged over the last `window` seconds: the CPUs' busy time (iowait
    /// included, as Linux counts it) per second. Since boot only, so load builds up after a reboot.
    private func runnable(over window: Double) -> Double {
        let start = max(bootTime, time - window)
        let busy = profile.cpus.reduce(0.0) { sum, cpu in
            sum + cpu.modes.reduce(0.0) { $0 + $1.activity.total(from: start, to: time) }
        }
        return busy / 1000 / window
    }

    /// `guest-get-load` on Linux: getloadavg(), whose values are the kernel's fixed point with
    /// 11 fraction bits (multiples of 1/2048, as captured).
    func kernelLoad() -> JSONValue {
        func fixedPoint(_ value: Double) -> JSONValue { .double((value * 2048).rounded() / 2048) }
        return .object([
            "load1m": fixedPoint(runnable(over: 60)), "load5m": fixedPoint(runnable(over: 300)),
            "load15m": fixedPoint(runnable(over: 900)),
        ])
    }

    /// `guest-get-load` on Windows (10.1 on): the agent starts sampling the processor queue
    /// every 5 s at the first request, into exponential averages starting from zero, so the
    /// first reply is all zeros and the averages then climb towards the load.
    func emulatedLoad(since start: Double) -> JSONValue {
        let ticks = max(0, ((time - start) / 5).rounded(.down))
        func average(_ window: Double) -> JSONValue {
            let weight = 1 - exp(-5 / window * ticks)
            return .double(weight * runnable(over: window))
        }
        return .object(["load1m": average(60), "load5m": average(300), "load15m": average(900)])
    }

    /// `guest-network-get-route` (9.1 on): /proc/net/route and /proc/net/ipv6_route as the
    /// agent parses them. IPv6 flags are read as a signed 32-bit number and widened, so local
    /// routes (RTF_LOCAL set) come out above Int64.max, as in the captured reply.
    func routes() -> JSONValue {
        var entries: [JSONValue] = []
        let nics = profile.interfaces.filter { $0.name != "lo" }
        for nic in nics {
            guard let ipv4 = nic.addresses.first(where: { $0.type == "ipv4" }) else { continue }
            let network = ipv4.address.split(separator: ".").prefix(3).joined(separator: ".")
            if nic.name == "eth0" {
                entries.append(Self.ipv4Route(nic.name, destination: "0.0.0.0", gateway: network + ".1", mask: "0.0.0.0", flags: 3))
            }
            entries.append(Self.ipv4Route(nic.name, destination: network + ".0", gateway: "0.0.0.0", mask: "255.255.255.0", flags: 1))
        }
        let up = 0x1, gateway = 0x2, local: UInt64 = 0xFFFF_FFFF_8020_0001, unreachable = 0x20_0200
        for nic in nics {
            for address in nic.addresses where address.type == "ipv6" && !address.address.hasPrefix("fe80::") {
                entries.append(Self.ipv6Route(nic.name, destination: Self.ipv6Network(address.address), length: address.prefix,
                                              metric: 256, flags: .int(up), refcnt: 1))
            }
            entries.append(Self.ipv6Route(nic.name, destination: "fe80::", length: 64, metric: 256, flags: .int(up), refcnt: 2))
        }
        if let eth0 = nics.first, eth0.addresses.contains(where: { $0.address.hasPrefix("fd00::") }) {
            entries.append(Self.ipv6Route(eth0.name, destination: "::", length: 0, nexthop: "fd00::1", metric: 1024,
                                          flags: .int(up | gateway), refcnt: 2))
        }
        entries.append(Self.ipv6Route("lo", destination: "::1", length: 128, metric: 0, flags: .uint(local), refcnt: 2))
        for nic in nics {
            for address in nic.addresses where address.type == "ipv6" {
                entries.append(Self.ipv6Route(nic.name, destination: address.address, length: 128, metric: 0,
                                              flags: .uint(local), refcnt: 3))
            }
        }
        for nic in nics {
            entries.append(Self.ipv6Route(nic.name, destination: "ff00::", length: 8, metric: 256, flags: .int(up), refcnt: 3))
        }
        entries.append(Self.ipv6Route("lo", destination: "::", length: 0, metric: -1, flags: .int(unreachable), refcnt: 1))
        return .array(entries)
    }

    private static func ipv4Route(_ iface: String, destination: String, gateway: String, mask: String, flags: Int) -> JSONValue {
        .object([
            "iface": .string(iface), "destination": .string(destination), "gateway": .string(gateway),
            "mask": .string(mask), "metric": .int(0), "flags": .int(flags), "refcnt": .int(0), "use": .int(0),
            "window": .int(0), "mtu": .int(0), "irtt": .int(0), "version": .int(4),
        ])
    }

    /// Prefix lengths come as strings, and the source is always the unspecified address (captured).
    private static func ipv6Route(
        _ iface: String, destination: String, length: Int, nexthop: String = "::", metric: Int, flags: JSONValue,
        refcnt: Int
    ) -> JSONValue {
        .object([
            "iface": .string(iface), "destination": .string(destination), "desprefixlen": .string(String(length)),
            "source": .string("::"), "srcprefixlen": .string("0"), "nexthop": .string(nexthop), "metric": .int(metric),
            "flags": flags, "refcnt": .int(refcnt), "use": .int(0), "version": .int(6),
        ])
    }

    /// The /64 an address of the simulated fleet lies in (they all have at most four groups).
    private static func ipv6Network(_ address: String) -> String {
        guard let gap = address.range(of: "::") else { return address }
        return String(address[..<gap.upperBound])
    }

    /// `guest-get-devices` (Windows): the virtio drivers, with their PCI ids.
    func devices() -> JSONValue {
        let drivers: [(name: String, device: Int)] = [
            ("Red Hat VirtIO Ethernet Adapter", 0x1000), ("Red Hat VirtIO SCSI pass-through controller", 0x1004),
            ("VirtIO Balloon Driver", 0x1002), ("VirtIO Serial Driver", 0x1003),
        ]
        let version = profile.agent == .windowsNew ? "100.101.104.27100" : "100.94.104.24700"
        // Driver dates are whole days, in nanoseconds since the epoch.
        let date: Int64 = profile.agent == .windowsNew ? 1_754_006_400 : 1_693_526_400
        return .array(drivers.map { driver in
            .object([
                "driver-name": .string(driver.name), "driver-date": .int(date * 1_000_000_000),
                "driver-version": .string(version),
                "id": .object(["type": .string("pci"), "vendor-id": .int(0x1AF4), "device-id": .int(driver.device)]),
            ])
        })
    }

    /// SMART / health log of an NVMe namespace, as QEMU's emulated controller fills it: a fixed
    /// temperature, no spare or wear figures, counters since the VM started (here: since boot),
    /// 128-bit counters split into halves.
    func nvmeSmart(_ disk: GuestProfile.Disk) -> JSONValue {
        let reads = disk.reads.total(from: bootTime, to: time)
        let writes = disk.writes.total(from: bootTime, to: time)
        // A data unit is 1,000 sectors of 512 bytes, rounded up.
        let unitsRead = (reads * disk.sectorsPerRead / 1000).rounded(.up)
        let unitsWritten = (writes * disk.sectorsPerWrite / 1000).rounded(.up)
        let busyMinutes = (reads * disk.readLatencyMs + writes * disk.writeLatencyMs) * 0.7 / 60_000
        var smart = JSONObject([
            "type": .string("nvme"), "critical-warning": .int(0), "temperature": .int(323),
            "available-spare": .int(0), "available-spare-threshold": .int(0), "percentage-used": .int(0),
        ])
        let counters: [(String, Double)] = [
            ("data-units-read", unitsRead), ("data-units-written", unitsWritten), ("host-read-commands", reads),
            ("host-write-commands", writes), ("controller-busy-time", busyMinutes), ("power-cycles", 0),
            ("power-on-hours", (time - bootTime) / 3600), ("unsafe-shutdowns", 0), ("media-errors", 0),
            ("number-of-error-log-entries", 0),
        ]
        for (name, value) in counters {
            smart[name + "-lo"] = .uint(UInt64(max(0, value)))
            smart[name + "-hi"] = .uint(0)
        }
        return .object(smart)
    }
}
