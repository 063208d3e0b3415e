import QGAMetrics
import QGAProtocol

/// `guest-get-host-name`: the name the guest gives itself.
struct HostnameCollector: Collector {
    let name = "hostname"
    let agentCommand = AgentCommand.getHostName

    func read(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> [MetricFamily] {
        let hostName = try reply.decode(agentCommand)
        return [Families.info("qga_hostname", "The guest's own host name.", labels: [Families.label("hostname", hostName.hostName)])]
    }
}
