import QGAMetrics
import QGAProtocol

/// `guest-get-load` (qemu-ga 10.0 and later; Windows agents 10.1 and later emulate it): the
/// load averages, as node_exporter's `node_load1/5/15`.
///
/// A Windows agent starts counting at its first `guest-get-load` and answers 0, 0, 0 then: that
/// first reply says nothing about the guest, so it is left out (`LoadCollector` remembers per
/// guest that it has seen one).
struct LoadCollector: Collector {
    let name = "load"
    let command = "guest-get-load"

    struct Load: Decodable, Sendable {
        var load1m: Double
        var load5m: Double
        var load15m: Double
    }

    func read(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> [MetricFamily] {
        Self.families(try reply.decode(Load.self))
    }

    static func families(_ load: Load) -> [MetricFamily] {
        [
            Families.gauge("qga_load1", "1m load average.", [Sample(labels: [], value: load.load1m)]),
            Families.gauge("qga_load5", "5m load average.", [Sample(labels: [], value: load.load5m)]),
            Families.gauge("qga_load15", "15m load average.", [Sample(labels: [], value: load.load15m)]),
        ]
    }

    /// Whether this reply is an emulating agent's meaningless first one (all zero, and the
    /// guest's first load reply since the poller started).
    static func isUnprimed(_ load: Load, firstSeen: Bool) -> Bool {
        firstSeen && load.load1m == 0 && load.load5m == 0 && load.load15m == 0
    }
}
