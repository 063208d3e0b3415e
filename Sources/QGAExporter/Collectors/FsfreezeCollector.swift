import QGAMetrics
import QGAProtocol

/// `guest-fsfreeze-status`: whether the guest's filesystems are frozen (e.g. left so by a backup).
struct FsfreezeCollector: Collector {
    let name = "fsfreeze"
    let commands = ["guest-fsfreeze-status"]

    func collect(_ context: CollectContext) async throws(AgentError) -> [MetricFamily] {
        [Self.family(try await context.client.fsfreezeStatus())]
    }

    static let states = ["frozen", "thawed"]

    static func family(_ status: GuestFsfreezeStatus) -> MetricFamily {
        let current = status.rawValue
        return MetricFamily(
            name: "qga_fsfreeze_status", help: "Filesystem freeze state of the guest.", type: .stateset,
            samples: states.map { Sample(labels: [Families.label("qga_fsfreeze_status", $0)], value: $0 == current ? 1 : 0) })
    }
}
