#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An independent reading of this machine, to check what the real agent (running on this same
/// machine) reported through the exporter.
struct HostReadings {
    /// /proc/diskstats: device -> (reads completed, sectors read, writes completed, sectors written).
    var disks: [String: [UInt64]] = [:]
    /// /proc/stat: cpu index -> [user, nice, system, idle] in USER_HZ ticks.
    var cpus: [Int: [UInt64]] = [:]
    /// /proc/net/dev: device -> (rx bytes, rx packets, tx bytes, tx packets).
    var interfaces: [String: [UInt64]] = [:]

    static func read() throws -> HostReadings {
        var readings = HostReadings()
        for line in try String(contentsOfFile: "/proc/diskstats", encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 10 else { continue }
            readings.disks[String(fields[2])] = [fields[3], fields[5], fields[7], fields[9]].compactMap { UInt64($0) }
        }
        for line in try String(contentsOfFile: "/proc/stat", encoding: .utf8).split(separator: "\n") where line.hasPrefix("cpu") {
            let fields = line.split(separator: " ")
            guard let index = Int(fields[0].dropFirst(3)) else { continue }  // skip the "cpu" total line
            readings.cpus[index] = fields[1...4].compactMap { UInt64($0) }
        }
        for line in try String(contentsOfFile: "/proc/net/dev", encoding: .utf8).split(separator: "\n").dropFirst(2) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let fields = parts[1].split(separator: " ").compactMap { UInt64($0) }
            guard fields.count >= 10 else { continue }
            readings.interfaces[parts[0].trimmingCharacters(in: .whitespaces)] = [fields[0], fields[1], fields[8], fields[9]]
        }
        return readings
    }

    /// statvfs in node_exporter's terms, in bytes.
    static func filesystem(_ path: String) -> (size: Double, availUnprivilegedTotal: Double, avail: Double, used: Double)? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let block = Double(stats.f_frsize)
        let used = Double(stats.f_blocks - stats.f_bfree) * block
        let avail = Double(stats.f_bavail) * block
        return (Double(stats.f_blocks) * block, used + avail, avail, used)
    }

    static var userHZ: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }
}
