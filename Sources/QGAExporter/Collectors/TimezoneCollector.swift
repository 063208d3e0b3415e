import QGAMetrics
import QGAProtocol

/// `guest-get-timezone`: the guest's zone and its offset from UTC.
struct TimezoneCollector: ReplyCollector {
    let name = "timezone"
    let agentCommand = AgentCommand.getTimezone

    static func families(_ zone: GuestTimezone, filters: FilterSet = .defaults) -> [MetricFamily] {
        [Families.gauge("qga_time_zone_offset_seconds", "The guest's time zone offset from UTC in seconds.", unit: "seconds",
                        [Sample(labels: [Families.label("time_zone", zone.zone ?? "")], value: Double(zone.offset))])]
    }
}
