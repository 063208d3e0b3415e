import QGAMetrics
import QGAProtocol

/// `guest-get-timezone`: the guest's zone and its offset from UTC.
struct TimezoneCollector: Collector {
    let name = "timezone"
    let agentCommand = AgentCommand.getTimezone

    func read(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> [MetricFamily] {
        [Self.family(try reply.decode(agentCommand))]
    }

    static func family(_ zone: GuestTimezone) -> MetricFamily {
        Families.gauge("qga_time_zone_offset_seconds", "The guest's time zone offset from UTC in seconds.", unit: "seconds",
                       [Sample(labels: [Families.label("time_zone", zone.zone ?? "")], value: Double(zone.offset))])
    }
}
