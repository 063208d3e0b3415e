import ArgumentParser

/// `--collector.NAME` / `--no-collector.NAME` for every optional collector. ArgumentParser needs
/// each flag declared; `CollectorCatalog.optionalNames` is the list they must cover.
struct CollectorFlags: ParsableArguments {
    @Flag(name: .customLong("collector.diskstats"), inversion: .prefixedNo, help: "Enable the diskstats collector (default: enabled).")
    var diskstats: Bool?
    @Flag(name: .customLong("collector.cpustats"), inversion: .prefixedNo, help: "Enable the cpustats collector (default: enabled).")
    var cpustats: Bool?
    @Flag(name: .customLong("collector.netdev"), inversion: .prefixedNo, help: "Enable the netdev collector (default: enabled).")
    var netdev: Bool?
    @Flag(name: .customLong("collector.filesystem"), inversion: .prefixedNo, help: "Enable the filesystem collector (default: enabled).")
    var filesystem: Bool?
    @Flag(name: .customLong("collector.users"), inversion: .prefixedNo, help: "Enable the users collector (default: enabled).")
    var users: Bool?
    @Flag(name: .customLong("collector.osinfo"), inversion: .prefixedNo, help: "Enable the osinfo collector (default: enabled).")
    var osinfo: Bool?
    @Flag(name: .customLong("collector.hostname"), inversion: .prefixedNo, help: "Enable the hostname collector (default: enabled).")
    var hostname: Bool?
    @Flag(name: .customLong("collector.timezone"), inversion: .prefixedNo, help: "Enable the timezone collector (default: enabled).")
    var timezone: Bool?
    @Flag(name: .customLong("collector.time"), inversion: .prefixedNo, help: "Enable the time collector (default: enabled).")
    var time: Bool?
    @Flag(name: .customLong("collector.vcpus"), inversion: .prefixedNo, help: "Enable the vcpus collector (default: enabled).")
    var vcpus: Bool?
    @Flag(name: .customLong("collector.fsfreeze"), inversion: .prefixedNo, help: "Enable the fsfreeze collector (default: enabled).")
    var fsfreeze: Bool?
    @Flag(name: .customLong("collector.load"), inversion: .prefixedNo, help: "Enable the load collector (default: enabled).")
    var load: Bool?
    @Flag(name: .customLong("collector.disks"), inversion: .prefixedNo, help: "Enable the disks collector (default: enabled).")
    var disks: Bool?
    @Flag(name: .customLong("collector.routes"), inversion: .prefixedNo, help: "Enable the routes collector (default: disabled).")
    var routes: Bool?

    var switches: CollectorSwitches {
        var switches = CollectorSwitches()
        let given: [(String, Bool?)] = [
            ("diskstats", diskstats), ("cpustats", cpustats), ("netdev", netdev), ("filesystem", filesystem),
            ("users", users), ("osinfo", osinfo), ("hostname", hostname), ("timezone", timezone), ("time", time),
            ("vcpus", vcpus), ("fsfreeze", fsfreeze), ("load", load), ("disks", disks), ("routes", routes),
        ]
        for case let (name, value?) in given { switches.enabled[name] = value }
        return switches
    }
}
