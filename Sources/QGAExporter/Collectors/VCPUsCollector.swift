import QGAMetrics
import QGAProtocol

/// `guest-get-vcpus`: how many vCPUs the guest sees, and how many are online.
struct VCPUsCollector: ReplyCollector {
    let name = "vcpus"
    let agentCommand = AgentCommand.getVCPUs

    static func families(_ processors: [GuestLogicalProcessor], filters: FilterSet = .defaults) -> [MetricFamily] {
        [
            Families.gauge("qga_vcpus", "Number of vCPUs the guest knows.", [Sample(labels: [], value: Double(processors.count))]),
            Families.gauge("qga_vcpus_online", "Number of vCPUs online in the guest.",
                           [Sample(labels: [], value: Double(processors.filter(\.online).count))]),
        ]
    }
}
