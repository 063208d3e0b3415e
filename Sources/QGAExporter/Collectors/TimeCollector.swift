import QGAMetrics
import QGAProtocol

/// `guest-get-time`: the guest clock, and how far it is from the host's.
struct TimeCollector: Collector {
    let name = "time"
    let agentCommand = AgentCommand.getTime

    func collect(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> CollectorOutput {
        let guestNanoseconds = try reply.decode(agentCommand)
        return CollectorOutput(families: Self.families(guestNanoseconds: guestNanoseconds, hostBefore: reply.sentAt, hostAfter: reply.receivedAt))
    }

    /// The guest read its clock somewhere during the round trip; the middle is the best guess,
    /// off by at most half the round trip.
    static func families(guestNanoseconds: Int64, hostBefore: Double, hostAfter: Double) -> [MetricFamily] {
        let guestSeconds = Double(guestNanoseconds) / 1e9
        let hostMiddle = (hostBefore + hostAfter) / 2
        return [
            Families.gauge("qga_time_seconds", "The guest clock as Unix time in seconds.", unit: "seconds",
                           [Sample(labels: [], value: guestSeconds)]),
            Families.gauge("qga_clock_offset_seconds", "Guest clock minus host clock, in seconds.", unit: "seconds",
                           [Sample(labels: [], value: guestSeconds - hostMiddle)]),
        ]
    }
}
