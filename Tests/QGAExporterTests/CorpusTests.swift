import Foundation
import QGAMetrics
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// Real replies of many agents and OSes (`Tests/Corpus`, each with its source): every one goes
/// through its collector as a poll would send it, nothing fails or is dropped that the exporter
/// does not use, and the metrics they make pass `promtool check metrics`.
@Suite struct CorpusTests {
    struct Fixture: Decodable {
        var path: String
        var command: String
        var os: String
        var agent_version: String
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    static func fixtures() throws -> [Fixture] {
        try JSONDecoder().decode([Fixture].self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
    }

    static func reply(_ fixture: Fixture) throws -> AgentReply {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent(fixture.path)))
        return AgentReply(command: fixture.command, returning: value)
    }

    static func collector(for command: String) -> (any Collector)? {
        CollectorCatalog.all.first { $0.command == command }
    }

    @Test func everyFixtureGoesThroughItsCollectorAndPassesPromtool() async throws {
        let fixtures = try Self.fixtures()
        #expect(fixtures.count >= 30)
        var checked = 0
        for fixture in fixtures {
            guard let collector = Self.collector(for: fixture.command) else {
                // guest-info is read by the poller, not a collector: it must decode all the same.
                if fixture.command == "guest-info" { _ = try Self.reply(fixture).decode(GuestAgentInfo.self) }
                continue
            }
            let output = try Self.reply(fixture).collectOutput(collector)
            #expect(output.dropped.isEmpty, "\(fixture.path): \(output.dropped)")
            let labelled = GuestLabels.attach(output.families, guest: "corpus", staticLabels: [])
            let text = String(decoding: ExpositionEncoder.encode(MetricSet(labelled), format: .prometheusText), as: UTF8.self)
            let promtool = try await Command.run("promtool", ["check", "metrics"], stdin: Data(text.utf8))
            // promtool exits 0 on lint-clean input; it prints lint remarks (e.g. "counter names
            // should end with _total") to stderr and exits 3 for them: both must be empty.
            #expect(promtool.status == 0, "\(fixture.path): \(promtool.stderr)\(promtool.text)")
            checked += 1
        }
        print("corpus: \(checked) fixtures through their collectors, \(fixtures.count) in all")
        #expect(checked >= 25)
    }

    @Test func windowsVolumesSurviveShortDiskEntries() throws {
        // Pulse issue #1319's capture: every `disk` entry holds only `dev` and `serial`.
        let fixture = try #require(try Self.fixtures().first { $0.path.hasPrefix("windows-qga-unknown-pve-pulse1319/") })
        let output = try Self.reply(fixture).collectOutput(FilesystemCollector())
        #expect(output.dropped.isEmpty)
        let mountpoints = output.families.labelValues("qga_filesystem_avail_bytes", label: "mountpoint")
        #expect(mountpoints.contains("C:\\"), "\(mountpoints)")
        #expect(!output.families.labelValues("qga_filesystem_avail_bytes", label: "fstype").contains("CDFS"))
    }

    @Test func newestAgentAddsLoadRoutesAndNVMeHealth() throws {
        let fixtures = try Self.fixtures()
        let load = try #require(fixtures.first { $0.path == "linux-debian12-qga-10.0.2/guest-get-load.json" })
        let loadFamilies = try Self.reply(load).collectOutput(LoadCollector()).families
        #expect(loadFamilies.value("qga_load1") == 3.00048828125)
        #expect(loadFamilies.value("qga_load15") == 0.66259765625)

        let routes = try #require(fixtures.first { $0.path == "linux-debian12-qga-10.0.2/guest-network-get-route.json" })
        let routeFamilies = try Self.reply(routes).collectOutput(RoutesCollector()).families
        #expect(routeFamilies.value("qga_route", ["destination": "0.0.0.0", "device": "eth0", "gateway": "192.0.2.1"]) == 1)
        #expect((routeFamilies.value("qga_routes") ?? 0) >= 2)

        let disks = try #require(fixtures.first { $0.path == "linux-minimal-nvme-qga-10.0.2/guest-get-disks.json" })
        let diskFamilies = try Self.reply(disks).collectOutput(DisksCollector()).families
        #expect(diskFamilies.value("qga_nvme_temperature_celsius", ["device": "/dev/nvme0n1"]) == 50)  // 323 K
        #expect(diskFamilies.value("qga_nvme_critical_warning", ["device": "/dev/nvme0n1"]) == 0)
        #expect(diskFamilies.value("qga_nvme_available_spare_ratio", ["device": "/dev/nvme0n1"]) == 0)
        #expect(diskFamilies.value("qga_disk", ["device": "/dev/nvme0n1", "bus_type": "nvme", "serial": ""]) == 1)
    }

    /// One entry that does not decode costs that entry only, and says which and why.
    @Test func aBadEntryIsDroppedAndNamed() throws {
        let reply = AgentReply(command: "guest-get-fsinfo", returning: [
            ["name": "vda1", "mountpoint": "/", "type": "ext4", "used-bytes": 10, "total-bytes": 100, "disk": [["serial": "x"]]],
            ["name": "vdb1", "type": "ext4", "used-bytes": 1, "total-bytes": 2],
            ["name": "vdc1", "mountpoint": "/srv", "type": "xfs", "used-bytes": "lots", "total-bytes": 2],
        ])
        let output = try reply.collectOutput(FilesystemCollector())
        #expect(output.families.labelValues("qga_filesystem_size_bytes", label: "mountpoint") == ["/"])
        #expect(output.dropped.count == 2)
        #expect(output.dropped.first == "guest-get-fsinfo[1]: missing member 'mountpoint'")
        #expect(output.dropped.last?.hasPrefix("guest-get-fsinfo[2].used-bytes") == true, "\(output.dropped)")
    }
}

extension AgentReply {
    func collectOutput(_ collector: any Collector) throws -> CollectorOutput {
        try collector.collect(self, filters: FilterSet.defaults)
    }
}
