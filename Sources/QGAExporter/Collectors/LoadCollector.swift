import QGAMetrics
import QGAProtocol

/// `guest-get-load` (qemu-ga 10.0 and later; Windows agents 10.1 and later emulate it): the
/// load averages, as node_exporter's `node_load1/5/15`.
///
/// A Windows agent starts counting at its first `guest-get-load` and answers 0, 0, 0 then: that
/// first reply says nothing about the guest, so the poller leaves it out (`GuestPoller`).
struct LoadCollector: ReplyCollector {
    let name = "load"
    let agentCommand = AgentCommand.getLoad

    static func families(_ load: GuestLoadAverage, filters: FilterSet = .defaults) -> [MetricFamily] {
        [
            Families.gauge("qga_load1", "1m load average.", [Sample(labels: [], value: load.load1m)]),
            Families.gauge("qga_load5", "5m load average.", [Sample(labels: [], value: load.load5m)]),
            Families.gauge("qga_load15", "15m load average.", [Sample(labels: [], value: load.load15m)]),
        ]
    }
}
