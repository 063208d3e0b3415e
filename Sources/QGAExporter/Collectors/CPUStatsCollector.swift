import QGAMetrics
import QGAProtocol

/// `guest-get-cpustats`: per-CPU time by mode, as node_exporter's `node_cpu_seconds_total`.
struct CPUStatsCollector: ReplyCollector {
    let name = "cpustats"
    let agentCommand = AgentCommand.getCPUStats

    /// The agent reports milliseconds.
    private static let msToSeconds = 0.001

    private static let modes: [(mode: String, read: @Sendable (GuestLinuxCpuStats) -> UInt64?)] = [
        ("user", { $0.user }), ("nice", { $0.nice }), ("system", { $0.system }), ("idle", { $0.idle }),
        ("iowait", { $0.iowait }), ("irq", { $0.irq }), ("softirq", { $0.softirq }), ("steal", { $0.steal }),
    ]
    private static let guestModes: [(mode: String, read: @Sendable (GuestLinuxCpuStats) -> UInt64?)] = [
        ("user", { $0.guest }), ("nice", { $0.guestnice }),
    ]

    static func families(_ stats: [GuestCpuStats], filters: FilterSet = .defaults) -> [MetricFamily] {
        let cpus: [GuestLinuxCpuStats] = stats.compactMap {
            if case .linux(let linux) = $0 { return linux } else { return nil }
        }
        var seconds: [Sample] = []
        var guestSeconds: [Sample] = []
        for cpu in cpus {
            let cpuLabel = Families.label("cpu", String(cpu.cpu))
            for (mode, read) in modes {
                if let value = read(cpu) {
                    seconds.append(Sample(labels: [cpuLabel, Families.label("mode", mode)], value: Double(value) * msToSeconds))
                }
            }
            for (mode, read) in guestModes {
                if let value = read(cpu) {
                    guestSeconds.append(Sample(labels: [cpuLabel, Families.label("mode", mode)], value: Double(value) * msToSeconds))
                }
            }
        }
        var families: [MetricFamily] = []
        if !seconds.isEmpty {
            families.append(MetricFamily(name: "qga_cpu_seconds", help: "Seconds the CPUs spent in each mode.",
                                         type: .counter, unit: "seconds", samples: seconds))
        }
        if !guestSeconds.isEmpty {
            families.append(MetricFamily(name: "qga_cpu_guest_seconds", help: "Seconds the CPUs spent running nested guests in each mode.",
                                         type: .counter, unit: "seconds", samples: guestSeconds))
        }
        return families
    }
}
