import QGAMetrics
import QGAProtocol

/// `guest-get-fsinfo`: filesystem size and space, as node_exporter's `node_filesystem_*`.
struct FilesystemCollector: EntryCollector {
    let name = "filesystem"
    let agentCommand = AgentCommand.getFSInfo

    /// Only what this collector reads of an entry. Windows agents send `disk` entries with
    /// fewer members than the schema lists; they never cost the filesystem its series.
    struct Entry: Decodable, Sendable {
        struct Disk: Decodable, Sendable {
            var dev: String?
        }

        var name: String
        var mountpoint: String
        var type: String
        var usedBytes: UInt64?
        var totalBytes: UInt64?
        var totalBytesPrivileged: UInt64?
        var disk: [Disk]?

        enum CodingKeys: String, CodingKey {
            case name, mountpoint, type, disk
            case usedBytes = "used-bytes"
            case totalBytes = "total-bytes"
            case totalBytesPrivileged = "total-bytes-privileged"
        }
    }

    /// qemu-ga computes used = blocks - bfree, total = used + bavail (what unprivileged users
    /// see) and, since 9.1, total-privileged = blocks. So avail = total - used exactly as
    /// node_exporter's f_bavail, and size is f_blocks when the agent says it.
    static let metrics: [TableMetric<Entry>] = [
        TableMetric(name: "qga_filesystem_size_bytes", help: "Filesystem size in bytes.", type: .gauge, unit: "bytes") {
            ($0.totalBytesPrivileged ?? $0.totalBytes).map { Double($0) }
        },
        TableMetric(name: "qga_filesystem_avail_bytes", help: "Filesystem space available to non-root users in bytes.", type: .gauge, unit: "bytes") {
            guard let total = $0.totalBytes, let used = $0.usedBytes, total >= used else { return nil }
            return Double(total - used)
        },
        TableMetric(name: "qga_filesystem_used_bytes", help: "Filesystem space used in bytes.", type: .gauge, unit: "bytes") {
            $0.usedBytes.map { Double($0) }
        },
        TableMetric(name: "qga_filesystem_free_bytes", help: "Filesystem free space in bytes (including space reserved for root).", type: .gauge, unit: "bytes") {
            guard let total = $0.totalBytesPrivileged, let used = $0.usedBytes, total >= used else { return nil }
            return Double(total - used)
        },
    ]

    static func families(_ filesystems: [GuestFilesystemInfo], filters: FilterSet) -> [MetricFamily] {
        families(filesystems.map {
            Entry(name: $0.name, mountpoint: $0.mountpoint, type: $0.type, usedBytes: $0.usedBytes, totalBytes: $0.totalBytes,
                  totalBytesPrivileged: $0.totalBytesPrivileged, disk: $0.disk.map { Entry.Disk(dev: $0.dev) })
        }, filters: filters)
    }

    static func families(_ filesystems: [Entry], filters: FilterSet) -> [MetricFamily] {
        // A filesystem mounted twice (bind mounts) is one series per mount point, as in node.
        var seen: Set<String> = []
        let kept = filesystems.filter {
            filters.mountpoints.allows($0.mountpoint) && filters.fstypes.allows($0.type)
                && seen.insert($0.mountpoint).inserted
        }
        var families = Families.table(metrics, items: kept) {
            [Families.label("device", $0.name), Families.label("fstype", $0.type), Families.label("mountpoint", $0.mountpoint)]
        }
        // Which disks back each filesystem, as `qga_disk_info` names them (`guest-get-disks`).
        var links: [Sample] = []
        for filesystem in kept {
            for dev in Set((filesystem.disk ?? []).compactMap(\.dev)).sorted() {
                links.append(Sample(labels: [Families.label("device", filesystem.name), Families.label("disk", dev),
                                             Families.label("mountpoint", filesystem.mountpoint)], value: 1))
            }
        }
        if !links.isEmpty {
            families.append(MetricFamily(name: "qga_filesystem_disk", help: "A disk a filesystem lies on.", type: .info, samples: links))
        }
        return families
    }
}
