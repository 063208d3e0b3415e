import QGAMetrics
import QGAProtocol

/// `guest-get-diskstats`: the guest kernel's /proc/diskstats, in node_exporter's names and units.
struct DiskstatsCollector: ReplyCollector {
    let name = "diskstats"
    let agentCommand = AgentCommand.getDiskStats

    /// Sectors are always 512 bytes in this ABI; ticks are milliseconds.
    static let sectorBytes = 512.0
    static let msToSeconds = 0.001

    static let metrics: [TableMetric<GuestDiskStatsInfo>] = [
        .counter("qga_disk_reads_completed", "The total number of reads completed successfully.") { $0.stats.readIos },
        .counter("qga_disk_reads_merged", "The total number of reads merged.") { $0.stats.readMerges },
        .counter("qga_disk_read_bytes", "The total number of bytes read successfully.", unit: "bytes", scale: sectorBytes) { $0.stats.readSectors },
        .counter("qga_disk_read_time_seconds", "The total number of seconds spent by all reads.", unit: "seconds", scale: msToSeconds) { $0.stats.readTicks },
        .counter("qga_disk_writes_completed", "The total number of writes completed successfully.") { $0.stats.writeIos },
        .counter("qga_disk_writes_merged", "The number of writes merged.") { $0.stats.writeMerges },
        .counter("qga_disk_written_bytes", "The total number of bytes written successfully.", unit: "bytes", scale: sectorBytes) { $0.stats.writeSectors },
        .counter("qga_disk_write_time_seconds", "This is the total number of seconds spent by all writes.", unit: "seconds", scale: msToSeconds) { $0.stats.writeTicks },
        .gauge("qga_disk_io_now", "The number of I/Os currently in progress.") { $0.stats.iosPgr },
        .counter("qga_disk_io_time_seconds", "Total seconds spent doing I/Os.", unit: "seconds", scale: msToSeconds) { $0.stats.totalTicks },
        .counter("qga_disk_io_time_weighted_seconds", "The weighted number of seconds spent doing I/Os.", unit: "seconds", scale: msToSeconds) { $0.stats.weightTicks },
        .counter("qga_disk_discards_completed", "The total number of discards completed successfully.") { $0.stats.discardIos },
        .counter("qga_disk_discards_merged", "The total number of discards merged.") { $0.stats.discardMerges },
        .counter("qga_disk_discarded_sectors", "The total number of sectors discarded successfully.") { $0.stats.discardSectors },
        .counter("qga_disk_discard_time_seconds", "This is the total number of seconds spent by all discards.", unit: "seconds", scale: msToSeconds) { $0.stats.discardTicks },
        .counter("qga_disk_flush_requests", "The total number of flush requests completed successfully.") { $0.stats.flushIos },
        .counter("qga_disk_flush_requests_time_seconds", "This is the total number of seconds spent by all flush requests.", unit: "seconds", scale: msToSeconds) { $0.stats.flushTicks },
    ]

    static func families(_ disks: [GuestDiskStatsInfo], filters: FilterSet) -> [MetricFamily] {
        let kept = disks.filter { filters.diskDevices.allows($0.name) }
        return Families.table(metrics, items: kept) { [Families.label("device", $0.name)] }
    }
}
