import Foundation
import Logging
import QGAMetrics
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// Every real agent build this machine has: Debian's qemu-ga 7.2 and the newest one of
/// bookworm-backports (10.0). One poll of each, as the exporter makes it: up, every collector it
/// offers succeeds, and what only the newer agent offers (load, disks) appears only there.
@Suite struct AgentVersionsTests {
    @Test func theNewestAgentIsThere() {
        // The test command unpacks it (scripts/install-newest-qemu-ga); without it half of this
        // suite would quietly test nothing.
        #expect(RealAgent.executables.contains(RealAgent.newestExecutable),
                "run scripts/install-newest-qemu-ga: \(RealAgent.newestExecutable) is missing")
    }

    @Test(arguments: RealAgent.executables)
    func onePollOfEachAgentBuildIsComplete(executable: String) async throws {
        let agent = try await RealAgent.start(executable: executable)
        defer { Task { await agent.stop() } }
        let spec = GuestSpec(name: "host", address: .unix(path: agent.socketPath), labels: [], interval: .seconds(60),
                             timeout: .seconds(5), collectors: CollectorSwitches(), source: "static")
        let poller = GuestPoller(spec: spec, client: AgentClient(address: spec.address), filters: FilterSet.defaults,
                                 logger: .init(label: "t"), now: { UnixTime.now() })
        let poll = await poller.poll()
        #expect(poll.report.state == .up, "\(poll.report.lastError ?? "")")
        #expect(poll.report.problems.isEmpty, "\(poll.report.problems)")
        let success = poll.families.first { $0.name == "qga_scrape_collector_success" }?.samples ?? []
        let failed = success.filter { $0.value != 1 }.compactMap { $0.labels.first { $0.name == "collector" }?.value }
        #expect(failed.isEmpty, "\(executable): collectors failed: \(failed)")
        let version = poll.report.agentVersion ?? ""
        let ran = Set(success.compactMap { $0.labels.first { $0.name == "collector" }?.value })
        print("agent \(executable): qemu-ga \(version), collectors \(ran.sorted().joined(separator: ","))")
        #expect(ran.isSuperset(of: ["filesystem", "diskstats", "cpustats", "netdev", "osinfo", "vcpus", "fsfreeze"]))
        if version.hasPrefix("10.") {
            #expect(ran.isSuperset(of: ["load", "disks"]), "qemu-ga 10 offers load and disks")
            #expect(poll.families.contains { $0.name == "qga_disk" })
            #expect(poll.families.contains { $0.name == "qga_filesystem_size_bytes" })
        } else {
            #expect(!ran.contains("load"), "qemu-ga \(version) has no guest-get-load")
        }
    }
}
