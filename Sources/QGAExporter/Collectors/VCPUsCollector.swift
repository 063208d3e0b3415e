import QGAMetrics
import QGAProtocol

/// `guest-get-vcpus`: how many vCPUs the guest sees, and how many are online.
struct VCPUsCollector: Collector {
    let name = "vcpus"
    let agentCommand = AgentCommand.getVCPUs

    func read(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> [MetricFamily] {
        Self.families(try reply.decode(agentCommand))
    }

    static func families(_ processors: [GuestLogicalProcessor]) -> [MetricFamily] {
        [
            Families.gauge("qga_vcpus", "Number of vCPUs the guest knows.", [Sample(labels: [], value: Double(processors.count))]),
            Families.gauge("qga_vcpus_online", "Number of vCPUs online in the guest.",
                           [Sample(labels: [], value: Double(processors.filter(\.online).count))]),
        ]
    }
}
