#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QGAMetrics

/// The standard `process_*` metrics, read from /proc/self as client libraries do.
enum ProcessMetrics {
    private static let clockTicks = Double(sysconf(Int32(_SC_CLK_TCK)))
    private static let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    static func families() -> [MetricFamily] {
        var families: [MetricFamily] = []
        if let stat = readStat() {
            families.append(MetricFamily(name: "process_cpu_seconds", help: "Total user and system CPU time spent in seconds.",
                                         type: .counter, unit: "seconds", samples: [Sample(labels: [], value: stat.cpuSeconds)]))
            families.append(Families.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", unit: "bytes",
                                           [Sample(labels: [], value: stat.residentBytes)]))
            families.append(Families.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", unit: "bytes",
                                           [Sample(labels: [], value: stat.virtualBytes)]))
            if let boot = bootTime() {
                families.append(Families.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                                               unit: "seconds", [Sample(labels: [], value: boot + stat.startTicks / clockTicks)]))
            }
        }
        if let fds = openFileDescriptors() {
            families.append(Families.gauge("process_open_fds", "Number of open file descriptors.", [Sample(labels: [], value: Double(fds))]))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            families.append(Families.gauge("process_max_fds", "Maximum number of open file descriptors.",
                                           [Sample(labels: [], value: Double(limit.rlim_cur))]))
        }
        return families
    }

    struct Stat {
        var cpuSeconds: Double
        var startTicks: Double
        var virtualBytes: Double
        var residentBytes: Double
    }

    /// /proc/self/stat: fields after the command name, which is in parentheses and may contain spaces.
    static func readStat() -> Stat? {
        guard let text = readFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); utime is field 14, stime 15, starttime 22, vsize 23, rss 24.
        func field(_ number: Int) -> Double? { Double(fields[safe: number - 3] ?? "") }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24) else {
            return nil
        }
        return Stat(cpuSeconds: (utime + stime) / clockTicks, startTicks: start, virtualBytes: vsize, residentBytes: rss * pageSize)
    }

    static func openFileDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count - 1  // the directory stream itself
    }

    private static func bootTime() -> Double? {
        guard let text = readFile("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: " "))
        }
        return nil
    }

    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

private extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var text = self
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return text
    }
}
