import QGAMetrics

/// A scrape like the exporter's: several guests (one Windows), every type we use, units,
/// fractional and integral values, special values, escapes, a timestamp. Lint-clean.
enum RepresentativeFamilies {
    static func make() -> [MetricFamily] {
        var fragments: [MetricFamily] = []
        let guests = [
            (name: "vm1", disk: "vda", mount: "/", fstype: "ext4", user: "root"),
            (name: "vm-2", disk: "sda", mount: "/srv/data \"quoted\"", fstype: "xfs", user: "alice"),
            (name: "win\\server", disk: "\\\\.\\PhysicalDrive0", mount: "C:\\", fstype: "NTFS", user: "Administrator\nnewline"),
        ]
        for (index, guest) in guests.enumerated() {
            let n = Double(index + 1)
            let g = guest.name
            fragments += [
                MetricFamily(name: "qga_up", help: "1 if the last poll reached the agent.", type: .gauge,
                             samples: [Sample(["guest": g], 1)]),
                MetricFamily(name: "qga_agent", help: "Guest agent version.", type: .info,
                             samples: [Sample(["guest": g, "version": "7.2.\(index)"], 1)]),
                MetricFamily(name: "qga_disk_read_bytes", help: "Bytes read (sectors x 512).", type: .counter, unit: "bytes",
                             samples: [Sample(["guest": g, "device": guest.disk], 512 * 1_234_567 * n)]),
                MetricFamily(name: "qga_disk_read_time_seconds", help: "Seconds spent reading.", type: .counter, unit: "seconds",
                             samples: [Sample(["guest": g, "device": guest.disk], 12.345 * n)]),
                MetricFamily(name: "qga_disk_io_now", help: "I/Os in progress.", type: .gauge,
                             samples: [Sample(["guest": g, "device": guest.disk], n - 1)]),
                MetricFamily(name: "qga_cpu_seconds", help: "Seconds the CPUs spent in each mode.", type: .counter, unit: "seconds",
                             samples: ["user", "system", "idle", "iowait"].enumerated().flatMap { mode in
                                 (0..<2).map { cpu in
                                     Sample(["guest": g, "cpu": "\(cpu)", "mode": mode.element], Double(mode.offset) * 100.01 + n)
                                 }
                             }),
                MetricFamily(name: "qga_filesystem_avail_bytes", help: "Available bytes.", type: .gauge, unit: "bytes",
                             samples: [Sample(["guest": g, "device": guest.disk, "mountpoint": guest.mount, "fstype": guest.fstype],
                                              10_737_418_240 / n)]),
                MetricFamily(name: "qga_user_login_time_seconds", help: "Login time of the user.", type: .gauge, unit: "seconds",
                             samples: [Sample(["guest": g, "user": guest.user, "domain": ""], 1_700_000_000.123456 + n)]),
                MetricFamily(name: "qga_fsfreeze_status", help: "Filesystem freeze state.", type: .stateset,
                             samples: [Sample(["guest": g, "qga_fsfreeze_status": "thawed"], 1),
                                       Sample(["guest": g, "qga_fsfreeze_status": "frozen"], 0)]),
                MetricFamily(name: "qga_guest_clock_offset_seconds", help: "Guest clock minus host clock.", type: .gauge,
                             unit: "seconds",
                             samples: [Sample(labels: [Label("guest", g)], value: -0.25 * n,
                                              timestampMilliseconds: 1_700_000_000_000 + Int64(index) * 1_001)]),
                MetricFamily(name: "qga_load1", help: "Load average \\ 1 minute.\nSecond line.", type: .gauge,
                             samples: [Sample(["guest": g], [Double.nan, .infinity, 0.1 + 0.2][index])]),
                MetricFamily(name: "qga_scrape_collector_success", help: "1 if the collector succeeded.", type: .gauge,
                             samples: ["diskstats", "cpustats"].map { Sample(["guest": g, "collector": $0], 1) }),
            ]
        }
        fragments.append(MetricFamily(name: "qga_exporter_build", help: "Build information.", type: .info,
                                      samples: [Sample(["version": "0.1.0", "swift": "6.3.1"], 1)]))
        fragments.append(MetricFamily(name: "qga_experimental", help: "A value of no declared type.", type: .unknown,
                                      samples: [Sample(value: 42)]))
        return fragments
    }
}
