import Foundation
import QGATestSupport
import Testing

@testable import QGAExporter

/// `/probe` and Prometheus' `X-Prometheus-Scrape-Timeout-Seconds`, over a real socket: with the
/// header a probe waits for a poll that is under way (here the guest's first), never past the
/// deadline less the offset; without it, it answers at once from the last poll.
@Suite(.serialized) struct ProbeScrapeTimeoutTests {
    /// One poll per minute and no jitter: the first poll starts at once and is the only one.
    static let onePollConfig = """
        poll:
          interval: 60s
          jitter: 0
        """

    /// The standard fake agent, slow to answer `guest-info` by `delay`.
    static func slowAgent(_ delay: Duration) async throws -> FakeAgent {
        try await FakeAgent.start { request in
            let reply = FakeAgent.standard(request)
            return request.command == "guest-info" ? [.delay(delay)] + reply : reply
        }
    }

    @Test func probeWaitsForThePollUnderWayWithinTheScrapeTimeout() async throws {
        try await Self.slowAgent(.seconds(1)).use { agent in try await RunningExporter.with(configYAML: Self.onePollConfig, guests: ["g=\(agent.address)"],
                                       interval: .seconds(60), timeout: .seconds(5)) { exporter in
            let url = exporter.url("/probe?target=g&module=qga")
            // Without the header: the answer comes at once, before the first poll is done.
            let immediate = try await HTTP.get(url)
            #expect(immediate.status == 200)
            #expect(!immediate.text.contains(#"qga_up{guest="g"} 1"#), "the first poll cannot have finished yet:\n\(immediate.text)")

            let started = ContinuousClock.now
            let waited = try await HTTP.get(url, headers: ["X-Prometheus-Scrape-Timeout-Seconds": "10"])
            let elapsed = ContinuousClock.now - started
            #expect(waited.status == 200)
            #expect(waited.text.contains(#"qga_up{guest="g"} 1"#), "the probe waited for the poll under way:\n\(waited.text)")
            #expect(elapsed < .milliseconds(9_500), "answered within the deadline less the offset (\(elapsed))")
            #expect(exporter.store.pollCounts.success == 1, "one poll, no extra one for the probe")

            // Data current, no poll running: no wait, even with a long timeout.
            let settled = ContinuousClock.now
            let again = try await HTTP.get(url, headers: ["X-Prometheus-Scrape-Timeout-Seconds": "10"])
            #expect(again.text.contains(#"qga_up{guest="g"} 1"#))
            #expect(ContinuousClock.now - settled < .seconds(1), "nothing to wait for")
            #expect(agent.commands.filter { $0 == "guest-info" }.count == 1, "the probe never calls the agent")
        } }
    }

    @Test func probeAnswersByTheDeadlineWhenThePollTakesLonger() async throws {
        try await Self.slowAgent(.seconds(30)).use { agent in try await RunningExporter.with(configYAML: Self.onePollConfig, guests: ["g=\(agent.address)"],
                                       interval: .seconds(60), timeout: .seconds(20)) { exporter in
            // Timed from the request's send to its answer on an open connection, as Prometheus
            // times a scrape: starting a client process is not the exporter's time.
            let connection = try RawConnection(port: exporter.port)
            defer { connection.close() }
            let started = ContinuousClock.now
            #expect(connection.send("GET /probe?target=g&module=node HTTP/1.1\r\nHost: test\r\n"
                                    + "X-Prometheus-Scrape-Timeout-Seconds: 2\r\n\r\n"))
            let response = try await offThePool { connection.readResponse(timeout: .seconds(10)) }
            let elapsed = ContinuousClock.now - started
            let probe = try #require(response, "an answer")
            #expect(probe.status == 200)
            #expect(probe.headers["content-length"] != nil, "the whole body is read: \(probe.headers)")
            #expect(elapsed >= .milliseconds(1_400), "it waited for the poll, up to 2 s less the 0.5 s offset (\(elapsed))")
            #expect(elapsed < .seconds(2), "answered before Prometheus gives up (\(elapsed))")
            #expect(!probe.text.contains("qga_up 1"), "the poll is still running; the probe serves what it has")
        } }
    }

    @Test func aScrapeTimeoutThatIsNotANumberOfSecondsIsRefused() async throws {
        let silent = try SilentSocket()
        try await RunningExporter.with(guests: ["quiet=unix:\(silent.path)"], timeout: .milliseconds(300)) { exporter in
            for bad in ["abc", "0", "-3", "inf", "nan", "5s"] {
                let answer = try await HTTP.get(exporter.url("/probe?target=quiet"),
                                                headers: ["X-Prometheus-Scrape-Timeout-Seconds": bad])
                #expect(answer.status == 400, "\(bad.debugDescription) -> \(answer.status)")
                #expect(answer.text.contains("X-Prometheus-Scrape-Timeout-Seconds"), "\(answer.text)")
            }
            #expect(try await HTTP.get(exporter.url("/probe?target=nosuch"),
                                       headers: ["X-Prometheus-Scrape-Timeout-Seconds": "5"]).status == 404)
        }
    }

    @Test func theWaitIsTheTimeoutLessTheOffset() throws {
        #expect(try ProbeRoutes.waitBudget(header: nil).get() == .zero)
        #expect(try ProbeRoutes.waitBudget(header: "10").get() == .milliseconds(9_500))
        #expect(try ProbeRoutes.waitBudget(header: "2.25").get() == .milliseconds(1_750))
        #expect(try ProbeRoutes.waitBudget(header: "0.3").get() == .zero, "shorter than the offset: no wait")
        #expect(throws: ProbeRoutes.BadHeader.self) { try ProbeRoutes.waitBudget(header: "soon").get() }
    }
}
