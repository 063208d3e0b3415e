import QGAMetrics
import QGAProtocol

/// `guest-fsfreeze-status`: whether the guest's filesystems are frozen (e.g. left so by a backup).
struct FsfreezeCollector: Collector {
    let name = "fsfreeze"
    let agentCommand = AgentCommand.fsfreezeStatus

    func read(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> [MetricFamily] {
        [Self.family(try reply.decode(agentCommand))]
    }

    static let states = ["frozen", "thawed"]

    static func family(_ status: GuestFsfreezeStatus) -> MetricFamily {
        let current = status.rawValue
        return MetricFamily(
            name: "qga_fsfreeze_status", help: "Filesystem freeze state of the guest.", type: .stateset,
            samples: states.map { Sample(labels: [Families.label("qga_fsfreeze_status", $0)], value: $0 == current ? 1 : 0) })
    }
}
