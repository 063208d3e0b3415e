import QGAMetrics
import QGAProtocol

/// `guest-get-time`: the guest clock, and how far it is from the host's.
struct TimeCollector: Collector {
    let name = "time"
    let commands = ["guest-get-time"]

    func collect(_ context: CollectContext) async throws(AgentError) -> [MetricFamily] {
        let before = context.now()
        let nanoseconds = try await context.client.getTime()
        let after = context.now()
        return Self.families(guestNanoseconds: nanoseconds, hostBefore: before, hostAfter: after)
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
