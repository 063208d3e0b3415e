import QGAMetrics
import QGAProtocol

/// `guest-fsfreeze-status`: whether the guest's filesystems are frozen (e.g. left so by a backup).
struct FsfreezeCollector: ReplyCollector {
    let name = "fsfreeze"
    let agentCommand = AgentCommand.fsfreezeStatus

    static let states = ["frozen", "thawed"]

    static func families(_ status: GuestFsfreezeStatus, filters: FilterSet = .defaults) -> [MetricFamily] {
        let current = status.rawValue
        return [MetricFamily(
            name: "qga_fsfreeze_status", help: "Filesystem freeze state of the guest.", type: .stateset,
            samples: states.map { Sample(labels: [Families.label("qga_fsfreeze_status", $0)], value: $0 == current ? 1 : 0) })]
    }
}
