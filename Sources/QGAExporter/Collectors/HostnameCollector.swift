import QGAMetrics
import QGAProtocol

/// `guest-get-host-name`: the name the guest gives itself.
struct HostnameCollector: ReplyCollector {
    let name = "hostname"
    let agentCommand = AgentCommand.getHostName

    static func families(_ hostName: GuestHostName, filters: FilterSet = .defaults) -> [MetricFamily] {
        [Families.info("qga_hostname", "The guest's own host name.", labels: [Families.label("hostname", hostName.hostName)])]
    }
}
