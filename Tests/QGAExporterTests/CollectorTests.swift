import QGAMetrics
import QGAProtocol
import Testing

@testable import QGAExporter

/// The collectors' pure functions against replies of the real agent (node_exporter style fixtures).
@Suite struct CollectorTests {
    @Test func diskstatsConvertsUnitsAndFiltersPartitions() throws {
        let disks: [GuestDiskStatsInfo] = try Fixtures.decode("diskstats.json")
        let families = DiskstatsCollector.families(disks, filters: FilterSet.defaults)
        #expect(families.labelValues("qga_disk_reads_completed", label: "device") == ["vda", "sr0"])
        #expect(families.value("qga_disk_read_bytes", ["device": "vda"]) == 2_468_385_792.0)  // 4,821,066 sectors x 512
        #expect(families.value("qga_disk_written_bytes", ["device": "vda"]) == 1_991_122_944.0)  // 3,888,912 sectors x 512
        #expect(families.value("qga_disk_read_time_seconds", ["device": "vda"]) == 25.994)
        #expect(families.value("qga_disk_io_time_weighted_seconds", ["device": "vda"]) == 33.573)
        #expect(families.value("qga_disk_discarded_sectors", ["device": "vda"]) == 289_360)
        #expect(families.value("qga_disk_io_now", ["device": "vda"]) == 0)
        // sr0 reported only reads: its other series are left out, not zero.
        #expect(families.value("qga_disk_writes_completed", ["device": "sr0"]) == nil)
        #expect(families.value("qga_disk_reads_completed", ["device": "sr0"]) == 3)
        #expect(families.family("qga_disk_read_bytes")?.type == .counter)
        #expect(families.family("qga_disk_io_now")?.type == .gauge)
    }

    @Test func cpustatsBecomeSecondsByMode() throws {
        let stats: [GuestCpuStats] = try Fixtures.decode("cpustats.json")
        let families = CPUStatsCollector.families(stats)
        #expect(families.value("qga_cpu_seconds", ["cpu": "0", "mode": "user"]) == 111.81)
        #expect(families.value("qga_cpu_seconds", ["cpu": "0", "mode": "steal"]) == 0.14)
        #expect(families.value("qga_cpu_seconds", ["cpu": "1", "mode": "nice"]) == 0.005)
        // CPU 1 did not report iowait/steal/guest: left out.
        #expect(families.value("qga_cpu_seconds", ["cpu": "1", "mode": "iowait"]) == nil)
        #expect(families.family("qga_cpu_seconds")?.samples.count == 8 + 4)
        #expect(families.family("qga_cpu_guest_seconds")?.samples.count == 2)
    }

    @Test func filesystemsFollowNodeExporterSemantics() throws {
        let filesystems: [GuestFilesystemInfo] = try Fixtures.decode("fsinfo.json")
        let families = FilesystemCollector.families(filesystems, filters: FilterSet.defaults)
        // iso9660 and /dev/shm are excluded by default, as in node_exporter.
        #expect(families.labelValues("qga_filesystem_size_bytes", label: "mountpoint") == ["/", "/data"])
        let root = ["mountpoint": "/", "fstype": "ext4", "device": "vda"]
        #expect(families.value("qga_filesystem_size_bytes", root) == 101_443_186_688)
        #expect(families.value("qga_filesystem_avail_bytes", root) == 83_688_165_376.0)  // total - used
        #expect(families.value("qga_filesystem_used_bytes", root) == 17_755_021_312)
        // Without total-bytes-privileged (qemu-ga < 9.1) there is no free figure.
        #expect(families.value("qga_filesystem_free_bytes", root) == nil)
        let data = ["mountpoint": "/data"]
        #expect(families.value("qga_filesystem_size_bytes", data) == 1_050_000_000)
        #expect(families.value("qga_filesystem_avail_bytes", data) == 600_000_000)
        #expect(families.value("qga_filesystem_free_bytes", data) == 650_000_000)
    }

    @Test func filesystemWithoutSizesIsLeftOut() throws {
        let filesystems: [GuestFilesystemInfo] = try Fixtures.decode("fsinfo.json")
        var filters = Filters()
        filters.fstypesExclude = nil
        filters.mountpointsExclude = nil
        let families = FilesystemCollector.families(filesystems, filters: try FilterSet(filters))
        #expect(families.labelValues("qga_filesystem_size_bytes", label: "mountpoint").contains("/media/cdrom"))
        #expect(!families.labelValues("qga_filesystem_size_bytes", label: "mountpoint").contains("/old"))
    }

    @Test func interfacesReportCountersAndAddresses() throws {
        let interfaces: [GuestNetworkInterface] = try Fixtures.decode("interfaces.json")
        let families = NetdevCollector.families(interfaces, filters: FilterSet.defaults)
        #expect(families.value("qga_network_receive_bytes", ["device": "eth0"]) == 136_895_793)
        #expect(families.value("qga_network_transmit_packets", ["device": "lo"]) == 29)
        // ifb0 has no statistics: no counters, but its hardware address is still known.
        #expect(families.value("qga_network_receive_bytes", ["device": "ifb0"]) == nil)
        #expect(families.value("qga_network", ["device": "ifb0", "address": "8e:e0:65:94:5b:df"]) == 1)
        #expect(families.value("qga_network_address", ["device": "eth0", "address": "fd00::2", "prefix": "64", "family": "ipv6"]) == 1)
    }

    @Test func netDeviceFilterApplies() throws {
        let interfaces: [GuestNetworkInterface] = try Fixtures.decode("interfaces.json")
        var filters = Filters()
        filters.netDevicesExclude = "^lo$"
        let families = NetdevCollector.families(interfaces, filters: try FilterSet(filters))
        #expect(families.labelValues("qga_network_receive_bytes", label: "device") == ["eth0"])
    }

    @Test func usersCountAndLoginTimes() throws {
        let users: [GuestUser] = try Fixtures.decode("users.json")
        let families = UsersCollector.families(users)
        #expect(families.value("qga_users") == 2)
        #expect(families.value("qga_user_login_time_seconds", ["user": "root", "domain": ""]) == 1_700_000_000.25)
        #expect(families.value("qga_user_login_time_seconds", ["user": "alice", "domain": "CORP"]) == 1_700_000_100.5)
        #expect(UsersCollector.families([]).value("qga_users") == 0)
        #expect(UsersCollector.families([]).family("qga_user_login_time_seconds") == nil)
    }

    @Test func identityCollectors() throws {
        let os = OSInfoCollector.families(try Fixtures.decode("osinfo.json"))
        #expect(os.map(\.type) == [.info])
        #expect(os.value("qga_os", ["id": "debian", "version_id": "12", "machine": "x86_64", "variant": ""]) == 1)

        let vcpus = VCPUsCollector.families(try Fixtures.decode("vcpus.json"))
        #expect(vcpus.value("qga_vcpus") == 3)
        #expect(vcpus.value("qga_vcpus_online") == 2)

        let time = TimeCollector.families(guestNanoseconds: 1_700_000_010_000_000_000, hostBefore: 1_700_000_000, hostAfter: 1_700_000_002)
        #expect(time.value("qga_time_seconds") == 1_700_000_010)
        #expect(time.value("qga_clock_offset_seconds") == 9)

        let frozen = FsfreezeCollector.families(.frozen)
        #expect(frozen.value("qga_fsfreeze_status", ["qga_fsfreeze_status": "frozen"]) == 1)
        #expect(frozen.value("qga_fsfreeze_status", ["qga_fsfreeze_status": "thawed"]) == 0)
    }

    /// A poll sends these commands in this order (the freeze check moves first); every one comes
    /// from the protocol's catalogue and only observes the guest.
    @Test func collectorsReadOnlyCommandsOfTheCatalogue() {
        #expect(CollectorCatalog.all.map(\.command) == [
            "guest-get-diskstats", "guest-get-cpustats", "guest-network-get-interfaces", "guest-get-fsinfo",
            "guest-get-users", "guest-get-osinfo", "guest-get-host-name", "guest-get-timezone", "guest-get-time",
            "guest-get-vcpus", "guest-fsfreeze-status", "guest-get-load", "guest-get-disks", "guest-network-get-route",
        ])
        #expect(CollectorCatalog.all.filter { !CollectorCatalog.enabledByDefault($0.name) }.map(\.name) == ["routes"])
        for collector in CollectorCatalog.all {
            #expect(AgentCommands.named(collector.command)?.effect == .readOnly, "\(collector.name)")
        }
    }

    @Test func guestAndStaticLabelsAreAddedInNameOrder() {
        let family = MetricFamily(name: "qga_users", help: "h", type: .gauge, samples: [Sample(labels: [Label(name: "x", value: "1")], value: 3)])
        let attached = GuestLabels.attach([family], guest: "web1", staticLabels: [Label(name: "env", value: "prod")])
        #expect(attached[0].samples[0].labels.map(\.name) == ["env", "guest", "x"])
        #expect(attached[0].samples[0].labels[1].value == "web1")
    }
}
