import QGAMetrics
import QGAProtocol

/// `guest-get-host-name`: the name the guest gives itself.
struct HostnameCollector: Collector {
    let name = "hostname"
    let commands = ["guest-get-host-name"]

    func collect(_ context: CollectContext) async throws(AgentError) -> [MetricFamily] {
        let hostName = try await context.client.getHostName()
        return [Families.info("qga_hostname", "The guest's own host name.", labels: [Families.label("hostname", hostName.hostName)])]
    }
}
