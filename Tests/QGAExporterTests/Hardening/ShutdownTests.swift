#if canImport(Glibc)
import Glibc
#endif
import Foundation
import QGATestSupport
import Testing

/// SIGTERM while things are stuck: polls waiting on agents that never answer, and an HTTP
/// client in the middle of a slow request. The real binary must exit cleanly within a bound
/// far below the poll timeout, closing every agent connection on its way out.
@Suite(.serialized) struct ShutdownTests {
    @Test func sigtermDuringHangingPollsExitsPromptlyAndClosesAgentConnections() async throws {
        let hanging = try HangingAgent()
        defer { hanging.stop() }
        let agent = try await RealAgent.start()
        let pollTimeout = 60
        try await ExporterProcess.with([
            "--guest", "hung1=unix:\(hanging.path)", "--guest", "hung2=unix:\(hanging.path)",
            "--guest", "real=unix:\(agent.socketPath)",
            "--poll.interval", "1s", "--poll.timeout", "\(pollTimeout)s", "--web.read-timeout", "3s",
        ]) { exporter in
            // Both hung guests connected and sent their sync: their polls now wait on the agent.
            #expect(await eventually { hanging.accepted == 2 && hanging.bytesReceived > 0 }, "the exporter reached the hanging agent")
            let metricsURL = exporter.url("/metrics")
            #expect(await eventually { (try? await HTTP.get(metricsURL))?.text.contains(#"qga_up{guest="real"} 1"#) == true })

            // And a scraper in the middle of a request whose body never comes.
            let slowClient = try RawConnection(port: exporter.port)
            slowClient.send("POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\nxx")

            let started = ContinuousClock.now
            let exited = await exporter.signal(SIGTERM, exitWithin: .seconds(15))
            let took = ContinuousClock.now - started
            print("shutdown-timing: SIGTERM to exit \(took)")
            #expect(exited, "SIGTERM must end the exporter well before the \(pollTimeout) s poll timeout (waited \(took))")
            #expect(exporter.exitStatus == 0, "a clean exit: \(exporter.log)")
            #expect(await eventually { hanging.closedByPeer == 2 }, "both hung agent connections were closed (\(hanging.closedByPeer) of 2)")
            #expect(try await offThePool { slowClient.readUntilClosed(timeout: .seconds(5)).closed })
            #expect(exporter.log.contains("polling stopped, guest connections closed"))
        }
        await agent.stop()
    }
}
