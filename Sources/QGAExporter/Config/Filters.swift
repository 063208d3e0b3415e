import Synchronization

/// Include/exclude patterns for what collectors report, node_exporter's defaults unless configured.
/// Patterns are unanchored regular expressions, as in node_exporter; the defaults anchor themselves.
struct Filters: Sendable, Equatable {
    var mountpointsExclude: String? = Self.defaultMountpointsExclude
    var mountpointsInclude: String?
    var fstypesExclude: String? = Self.defaultFstypesExclude
    var fstypesInclude: String?
    var diskDevicesExclude: String? = Self.defaultDiskDevicesExclude
    var diskDevicesInclude: String?
    var netDevicesExclude: String?
    var netDevicesInclude: String?

    /// node_exporter's mount point exclusions, plus Windows' "System Reserved" volume.
    static let defaultMountpointsExclude =
        #"^(/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)|System Reserved$)"#
    /// node_exporter's pseudo filesystems, plus the read-only media Windows guests report as
    /// full (CDFS, UDF).
    static let defaultFstypesExclude =
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs|CDFS|UDF|udf)$"
    /// node_exporter's partition and virtual device exclusions (ram, loop, partitions of sd/vd/nvme).
    static let defaultDiskDevicesExclude = #"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#
}

/// One include/exclude pair, compiled once and shared by every guest's poll.
/// Results are remembered per name: guests report the same few names on every poll.
final class NameFilter: Sendable {
    private let include: Pattern?
    private let exclude: Pattern?
    private let memo = Mutex<[String: Bool]>([:])
    private static let memoLimit = 100_000

    /// Throws a message naming the bad pattern.
    init(include: String?, exclude: String?) throws(ConfigProblem) {
        self.include = try include.map { pattern throws(ConfigProblem) in try Pattern(pattern) }
        self.exclude = try exclude.map { pattern throws(ConfigProblem) in try Pattern(pattern) }
    }

    func allows(_ name: String) -> Bool {
        if let known = memo.withLock({ $0[name] }) { return known }
        let allowed = (include?.matches(name) ?? true) && !(exclude?.matches(name) ?? false)
        memo.withLock { memo in
            if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
            memo[name] = allowed
        }
        return allowed
    }

    /// Swift's Regex is not Sendable; it is only read after construction, under the filter's use.
    private final class Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
        init(_ pattern: String) throws(ConfigProblem) {
            do { regex = try Regex(pattern) } catch {
                throw ConfigProblem("invalid regular expression \(pattern.debugDescription): \(error)")
            }
        }
        func matches(_ text: String) -> Bool { (try? regex.firstMatch(in: text)) != nil }
    }
}

/// The compiled filters every collector consults.
struct FilterSet: Sendable {
    let mountpoints: NameFilter
    let fstypes: NameFilter
    let diskDevices: NameFilter
    let netDevices: NameFilter

    init(_ filters: Filters) throws(ConfigProblem) {
        mountpoints = try NameFilter(include: filters.mountpointsInclude, exclude: filters.mountpointsExclude)
        fstypes = try NameFilter(include: filters.fstypesInclude, exclude: filters.fstypesExclude)
        diskDevices = try NameFilter(include: filters.diskDevicesInclude, exclude: filters.diskDevicesExclude)
        netDevices = try NameFilter(include: filters.netDevicesInclude, exclude: filters.netDevicesExclude)
    }

    static let defaults = try! FilterSet(Filters())
}
