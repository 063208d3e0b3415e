import QGAMetrics
import QGAProtocol

/// `guest-get-osinfo`: the guest's os-release and uname, as one info series.
struct OSInfoCollector: ReplyCollector {
    let name = "osinfo"
    let agentCommand = AgentCommand.getOSInfo

    static func families(_ info: GuestOSInfo, filters: FilterSet = .defaults) -> [MetricFamily] {
        let fields: [(String, String?)] = [
            ("id", info.id), ("kernel_release", info.kernelRelease), ("kernel_version", info.kernelVersion),
            ("machine", info.machine), ("name", info.name), ("pretty_name", info.prettyName),
            ("variant", info.variant), ("variant_id", info.variantId), ("version", info.version),
            ("version_id", info.versionId),
        ]
        // Every label is always present (empty when unknown) so the series keeps one identity.
        return [Families.info("qga_os", "Guest operating system, from the agent's guest-get-osinfo.",
                              labels: fields.map { Families.label($0.0, $0.1 ?? "") })]
    }
}
