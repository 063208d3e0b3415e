import Foundation
import QGATestSupport
import Testing

@testable import QGAExporter

/// Discovery runs again on its interval: a socket that appears becomes a guest, and a guest
/// whose socket vanishes stops being exported.
@Suite(.serialized) struct DiscoveryLifecycleTests {
    @Test func guestsComeAndGoWithTheirSockets() async throws {
        let watched = try TemporaryDirectory.make(prefix: "qga-watch")
        defer { try? FileManager.default.removeItem(atPath: watched) }
        let yaml = """
        discovery:
          - glob: \(watched)/*.qga
        discovery_interval: 1s
        """
        try await RunningExporter.with(configYAML: yaml) { exporter in
            #expect(exporter.store.reports().isEmpty)

            let agent = try await RealAgent.start()
            let link = watched + "/vm101.qga"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: agent.socketPath)
            #expect(await exporter.wait { $0.state(of: "vm101") == .up })
            #expect(try await HTTP.get(exporter.url("/metrics")).text.contains(#"qga_up{guest="vm101"} 1"#))

            try FileManager.default.removeItem(atPath: link)
            #expect(await exporter.wait { $0.report(named: "vm101") == nil })
            #expect(!(try await HTTP.get(exporter.url("/metrics")).text.contains(#"guest="vm101""#)))
            await agent.stop()
        }
    }
}
