import QGAMetrics

/// The exporter's own families: build info, guest counts, poll outcomes, process metrics.
enum ExporterMetrics {
    static func families(reports: [GuestReport], pollCounts: (success: UInt64, failure: UInt64)) -> [MetricFamily] {
        let up = reports.filter(\.answered).count
        var families = [
            Families.info("qga_exporter_build", "A metric with a constant '1' value labeled by version, revision, branch, build date and Swift version.",
                          labels: [
                              Label(name: "branch", value: BuildInfo.branch), Label(name: "builddate", value: BuildInfo.buildDate),
                              Label(name: "revision", value: BuildInfo.revision), Label(name: "swiftversion", value: BuildInfo.swiftVersion),
                              Label(name: "version", value: BuildInfo.version),
                          ]),
            Families.gauge("qga_exporter_guests", "Number of guests known (configured and discovered).", [Sample(labels: [], value: Double(reports.count))]),
            Families.gauge("qga_exporter_guests_up", "Number of guests whose last poll succeeded.", [Sample(labels: [], value: Double(up))]),
            MetricFamily(name: "qga_exporter_polls", help: "Guest polls finished, by result.", type: .counter, samples: [
                Sample(labels: [Label(name: "result", value: "failure")], value: Double(pollCounts.failure)),
                Sample(labels: [Label(name: "result", value: "success")], value: Double(pollCounts.success)),
            ]),
        ]
        families += ProcessMetrics.families()
        return families
    }
}
