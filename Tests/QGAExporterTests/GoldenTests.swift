import Foundation
import QGASimulator
import QGATestSupport
import Testing

@testable import QGAExporter

/// node_exporter's end-to-end test, our way: the whole `/metrics` text for simulated guests with
/// a fixed seed and a frozen clock, compared with a golden file after normalizing the few values
/// that measure the exporter itself (durations, timestamps, process figures).
/// Set QGA_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
@Suite(.serialized) struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: [("metrics.prom", "text/plain"), ("metrics.openmetrics", "application/openmetrics-text;version=1.0.0")])
    func metricsMatchTheGoldenFile(file: String, accept: String) async throws {
        let sockets = try TemporaryDirectory.make(prefix: "qga-golden")
        defer { try? FileManager.default.removeItem(atPath: sockets) }
        var configuration = SimulatedFleet.Configuration(guestCount: 2, directory: sockets)
        configuration.seed = 7
        configuration.clock = { 1_800_000_000 }
        let fleet = try await SimulatedFleet.start(configuration)
        let yaml = """
        labels: {hypervisor: golden}
        guests:
          - {name: \(fleet.guestName(1)), address: "unix:\(fleet.socketPath(ofGuest: 1))", labels: {env: prod}}
          - {name: \(fleet.guestName(2)), address: "unix:\(fleet.socketPath(ofGuest: 2))"}
        """
        let text = try await RunningExporter.with(configYAML: yaml) { exporter in
            #expect(await exporter.wait { $0.state(of: fleet.guestName(1)) == .up && $0.state(of: fleet.guestName(2)) == .up })
            return try await HTTP.get(exporter.url("/metrics"), headers: ["Accept": accept]).text
        }
        try await fleet.stop()

        let normalized = Self.normalize(text)
        let golden = Self.directory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["QGA_UPDATE_GOLDEN"] != nil {
            try normalized.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(normalized == expected, "differs from \(file):\n\(Self.diff(expected, normalized))")
    }

    /// Drops what measures the exporter or this machine and masks values that depend on timing.
    static func normalize(_ text: String) -> String {
        let dropped = ["process_", "qga_exporter_"]
        let masked = ["qga_scrape_collector_duration_seconds", "qga_poll_duration_seconds", "qga_last_poll_timestamp_seconds",
                      "qga_clock_offset_seconds"]
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let name = line.hasPrefix("# ") ? String(line.split(separator: " ").dropFirst(2).first ?? "") : String(line)
            if dropped.contains(where: { name.hasPrefix($0) }) { continue }
            if !line.hasPrefix("#"), masked.contains(where: { line.hasPrefix($0 + "{") }), let space = line.lastIndex(of: " ") {
                lines.append(line[..<space] + " <measured>")
            } else {
                lines.append(String(line))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func diff(_ expected: String, _ actual: String) -> String {
        let want = expected.split(separator: "\n"), got = actual.split(separator: "\n")
        let missing = Set(want).subtracting(got).sorted().prefix(10).map { "- \($0)" }
        let extra = Set(got).subtracting(want).sorted().prefix(10).map { "+ \($0)" }
        return (missing + extra).joined(separator: "\n")
    }
}
