/// Every collector, in the order a poll runs them, and which run when nobody says otherwise.
enum CollectorCatalog {
    static let all: [any Collector] = [
        DiskstatsCollector(), CPUStatsCollector(), NetdevCollector(), FilesystemCollector(), UsersCollector(),
        OSInfoCollector(), HostnameCollector(), TimezoneCollector(), TimeCollector(), VCPUsCollector(),
        FsfreezeCollector(), LoadCollector(), DisksCollector(), RoutesCollector(),
    ]

    /// Off unless switched on: a router guest's table is large, and few want all of it.
    static let offByDefault: Set<String> = ["routes"]

    /// The names `--collector.NAME` and the config accept. (`agent` always runs: it is how we
    /// know the guest is up.)
    static var optionalNames: [String] { all.map(\.name) }

    static func enabledByDefault(_ name: String) -> Bool { !offByDefault.contains(name) }
}
