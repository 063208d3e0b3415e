import QGAMetrics
import QGAProtocol

/// `guest-get-fsinfo`: filesystem size and space, as node_exporter's `node_filesystem_*`.
struct FilesystemCollector: Collector {
    let name = "filesystem"
    let agentCommand = AgentCommand.getFSInfo

    func read(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> [MetricFamily] {
        Self.families(try reply.decode(agentCommand), filters: filters)
    }

    /// qemu-ga computes used = blocks - bfree, total = used + bavail (what unprivileged users
    /// see) and, since 9.1, total-privileged = blocks. So avail = total - used exactly as
    /// node_exporter's f_bavail, and size is f_blocks when the agent says it.
    static let metrics: [TableMetric<GuestFilesystemInfo>] = [
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
        // A filesystem mounted twice (bind mounts) is one series per mount point, as in node.
        var seen: Set<String> = []
        let kept = filesystems.filter {
            filters.mountpoints.allows($0.mountpoint) && filters.fstypes.allows($0.type)
                && seen.insert($0.mountpoint).inserted
        }
        return Families.table(metrics, items: kept) {
            [Families.label("device", $0.name), Families.label("fstype", $0.type), Families.label("mountpoint", $0.mountpoint)]
        }
    }
}
