import QGAMetrics

/// One guest's families under node_exporter's own names, without the `guest` label, so the
/// Node Exporter Full dashboard and node-mixin alerts work for a VM with nothing of ours inside.
enum NodeTranslation {
    /// Our family name -> node_exporter's. Families not listed here have no node_exporter twin
    /// and keep their `qga_` name (harmless extras for node dashboards).
    static let renames: [String: String] = {
        var renames: [String: String] = [
            "qga_filesystem_size_bytes": "node_filesystem_size_bytes",
            "qga_filesystem_avail_bytes": "node_filesystem_avail_bytes",
            "qga_filesystem_free_bytes": "node_filesystem_free_bytes",
            "qga_cpu_seconds": "node_cpu_seconds",
            "qga_cpu_guest_seconds": "node_cpu_guest_seconds",
            "qga_network": "node_network",
            "qga_time_zone_offset_seconds": "node_time_zone_offset_seconds",
            "qga_time_seconds": "node_time_seconds",
            "qga_scrape_collector_success": "node_scrape_collector_success",
            "qga_scrape_collector_duration_seconds": "node_scrape_collector_duration_seconds",
            "qga_load1": "node_load1", "qga_load5": "node_load5", "qga_load15": "node_load15",
        ]
        for suffix in ["reads_completed", "reads_merged", "read_bytes", "read_time_seconds", "writes_completed",
                       "writes_merged", "written_bytes", "write_time_seconds", "io_now", "io_time_seconds",
                       "io_time_weighted_seconds", "discards_completed", "discards_merged", "discarded_sectors",
                       "discard_time_seconds", "flush_requests", "flush_requests_time_seconds"] {
            renames["qga_disk_\(suffix)"] = "node_disk_\(suffix)"
        }
        for direction in ["receive", "transmit"] {
            for stat in ["bytes", "packets", "errs", "drop"] {
                renames["qga_network_\(direction)_\(stat)"] = "node_network_\(direction)_\(stat)"
            }
        }
        return renames
    }()

    /// node_os_info's label names for ours.
    private static let osLabels: [String: String] = [
        "id": "id", "name": "name", "pretty_name": "pretty_name", "version": "version", "version_id": "version_id",
        "variant": "variant", "variant_id": "variant_id",
    ]

    /// Filesystem types that are read-only by nature. qemu-ga reports no mount flags, so
    /// `node_filesystem_readonly` (which node-mixin's alerts require) is derived from the type.
    static let readOnlyFstypes: Set<String> = ["iso9660", "udf", "UDF", "CDFS", "cdfs", "squashfs", "erofs"]

    static func translate(_ families: [MetricFamily], guest: String) -> [MetricFamily] {
        var result: [MetricFamily] = []
        if let size = families.first(where: { $0.name == "qga_filesystem_size_bytes" }) {
            result.append(readonlyFamily(size))
        }
        for family in families {
            var family = family
            family.samples = family.samples.map { sample in
                var sample = sample
                sample.labels.removeAll { $0.name == "guest" }
                return sample
            }
            if let node = renames[family.name] {
                family.name = node
                if node.hasPrefix("node_filesystem_") { family.samples = family.samples.map(withDevicePath) }
                result.append(family)
            } else if family.name == "qga_os" {
                result.append(contentsOf: osFamilies(family, hostFamily: families.first { $0.name == "qga_hostname" }))
            } else {
                result.append(family)
            }
        }
        return result
    }

    private static func readonlyFamily(_ size: MetricFamily) -> MetricFamily {
        MetricFamily(
            name: "node_filesystem_readonly",
            help: "Filesystem read-only status (derived from the filesystem type: the guest agent reports no mount flags).",
            type: .gauge,
            samples: size.samples.map { sample in
                let fstype = sample.labels.first { $0.name == "fstype" }?.value ?? ""
                return withDevicePath(Sample(labels: sample.labels.filter { $0.name != "guest" },
                                             value: readOnlyFstypes.contains(fstype) ? 1 : 0))
            })
    }

    /// node_exporter labels a filesystem with its mount source, `/dev/vda`; a Linux agent gives
    /// the bare kernel name, `vda`. Windows names (volume paths, drive letters) stay as they are.
    /// (Device-mapper volumes remain `/dev/dm-0` where node_exporter says `/dev/mapper/NAME`:
    /// the agent does not report the mapper name.) Disk statistics keep the bare name, as there.
    static func withDevicePath(_ sample: Sample) -> Sample {
        var sample = sample
        if let index = sample.labels.firstIndex(where: { $0.name == "device" }) {
            let device = sample.labels[index].value
            let isKernelName = !device.isEmpty && !device.contains { $0 == "/" || $0 == "\\" || $0 == ":" }
            if isKernelName { sample.labels[index].value = "/dev/" + device }
        }
        return sample
    }

    /// `node_os_info` from os-release fields and `node_uname_info` from the kernel fields and
    /// the host name, as node_exporter's os and uname collectors report them.
    private static func osFamilies(_ os: MetricFamily, hostFamily: MetricFamily?) -> [MetricFamily] {
        guard let sample = os.samples.first else { return [] }
        func value(_ name: String) -> String { sample.labels.first { $0.name == name }?.value ?? "" }
        let extra = sample.labels.filter { !osFieldNames.contains($0.name) && $0.name != "guest" }
        let osLabelsOut = osLabels.keys.sorted().map { Label(name: osLabels[$0]!, value: value($0)) }
        let nodename = hostFamily?.samples.first?.labels.first { $0.name == "hostname" }?.value ?? ""
        let sysname = value("id").lowercased().contains("windows") ? "Windows" : "Linux"
        let uname = [
            Label(name: "domainname", value: "(none)"), Label(name: "machine", value: value("machine")),
            Label(name: "nodename", value: nodename), Label(name: "release", value: value("kernel_release")),
            Label(name: "sysname", value: sysname), Label(name: "version", value: value("kernel_version")),
        ]
        return [
            os,
            MetricFamily(name: "node_os", help: "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
                         type: .info, samples: [Sample(labels: osLabelsOut + extra, value: 1)]),
            MetricFamily(name: "node_uname", help: "Labeled system information as provided by the uname system call.",
                         type: .info, samples: [Sample(labels: uname + extra, value: 1)]),
        ]
    }

    private static let osFieldNames: Set<String> = [
        "id", "kernel_release", "kernel_version", "machine", "name", "pretty_name", "variant", "variant_id", "version", "version_id",
    ]
}
