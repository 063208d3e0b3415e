import Foundation
import Logging
import QGAMetrics
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// The whole exporter against real qemu-ga processes on this machine, over real HTTP.
@Suite(.serialized) struct EndToEndTests {
    /// Families every live guest must have (this host runs Linux with qemu-ga 7.2).
    static let missionFamilies = [
        "qga_up", "qga_agent_info", "qga_scrape_collector_success", "qga_scrape_collector_duration_seconds",
        "qga_disk_reads_completed_total", "qga_disk_read_bytes_total", "qga_disk_written_bytes_total",
        "qga_disk_io_time_seconds_total", "qga_cpu_seconds_total", "qga_network_receive_bytes_total",
        "qga_network_transmit_bytes_total", "qga_filesystem_size_bytes", "qga_filesystem_avail_bytes",
        "qga_filesystem_used_bytes", "qga_users", "qga_os_info", "qga_hostname_info", "qga_time_zone_offset_seconds",
        "qga_clock_offset_seconds", "qga_vcpus_online", "qga_fsfreeze_status",
    ]

    @Test func twoLiveAgentsAndASilentOne() async throws {
        let first = try await RealAgent.start()
        let second = try await RealAgent.start()
        let silent = try SilentSocket()
        let yaml = """
        guests:
          - {name: alpha, address: "unix:\(first.socketPath)"}
          - {name: beta, address: "unix:\(second.socketPath)"}
          - {name: dead, address: "unix:\(silent.path)", connect_timeout: 8s}
        """
        try await RunningExporter.with(configYAML: yaml) { exporter in
            #expect(await exporter.wait { $0.state(of: "alpha") == .up && $0.state(of: "beta") == .up })
            // The silent guest is still inside its 8 s connect deadline: /metrics must not wait for it.
            #expect(exporter.store.state(of: "dead") == .unknown)
            let body = try await HTTP.get(exporter.url("/metrics")).text
            #expect(exporter.store.state(of: "dead") == .unknown)
            let samples = try parseSamples(body)
            for guest in ["alpha", "beta"] {
                let families = Set(samples.filter { $0.labels["guest"] == guest }.map(\.name))
                for family in Self.missionFamilies {
                    #expect(families.contains(family), "\(family) missing for \(guest)")
                }
                #expect(body.contains("qga_up{guest=\"\(guest)\"} 1"))
                #expect(body.contains("qga_scrape_collector_success{collector=\"filesystem\",guest=\"\(guest)\"} 1"))
            }
            try checkPlausible(body)

            #expect(await exporter.wait(upTo: .seconds(20)) { $0.state(of: "dead") == .down })
            let later = try await HTTP.get(exporter.url("/metrics")).text
            #expect(later.contains(#"qga_up{guest="dead"} 0"#))
            #expect(later.contains(#"qga_up{guest="alpha"} 1"#))
            #expect(exporter.store.report(named: "dead")?.errorKind == "timeout")
            // A down guest has no data families, never zeros.
            #expect(!later.contains(#"qga_filesystem_size_bytes{guest="dead""#))

            try await checkWithRealParsers(exporter)
        }
        await first.stop()
        await second.stop()
    }

    /// Values that must hold whatever the machine: avail <= size, one CPU series set per CPU, ...
    private func checkPlausible(_ body: String) throws {
        let samples = try parseSamples(body)
        for guest in ["alpha", "beta"] {
            let root = { (name: String) in samples.first { $0.name == name && $0.labels["guest"] == guest && $0.labels["mountpoint"] == "/" }?.value }
            let size = try #require(root("qga_filesystem_size_bytes"))
            let avail = try #require(root("qga_filesystem_avail_bytes"))
            let used = try #require(root("qga_filesystem_used_bytes"))
            #expect(avail > 0 && avail <= size && used <= size)
            let cpus = Set(samples.filter { $0.name == "qga_cpu_seconds_total" && $0.labels["guest"] == guest }.compactMap { $0.labels["cpu"] })
            #expect(cpus.count == ProcessInfo.processInfo.processorCount)
            let vcpus = samples.first { $0.name == "qga_vcpus_online" && $0.labels["guest"] == guest }?.value
            #expect(vcpus == Double(ProcessInfo.processInfo.processorCount))
            let offset = try #require(samples.first { $0.name == "qga_clock_offset_seconds" && $0.labels["guest"] == guest }?.value)
            #expect(abs(offset) < 1, "the agent runs on this host: its clock is ours")
        }
    }

    /// promtool and the Swift lint on 0.0.4, Python's strict parser on OpenMetrics, gzip -d on gzip.
    private func checkWithRealParsers(_ exporter: RunningExporter) async throws {
        let text = try await HTTP.get(exporter.url("/metrics"))
        let promtool = try await Command.run("promtool", ["check", "metrics"], stdin: text.body)
        #expect(promtool.status == 0, "promtool: \(promtool.text)\(promtool.stderr)")

        let reports = exporter.store.reports().compactMap { exporter.store.report(named: $0.name) }
        let families = reports.flatMap { exporter.store.families(named: $0.name) ?? [] }
        let set = MetricSet(families + ExporterMetrics.families(reports: reports, pollCounts: (1, 1)))
        #expect(MetricLint.lint(set).isEmpty, "lint: \(MetricLint.lint(set))")
        #expect(set.problems.isEmpty, "merge problems: \(set.problems)")

        let openMetrics = try await HTTP.get(exporter.url("/metrics"), headers: ["Accept": "application/openmetrics-text;version=1.0.0"])
        let script = """
        import sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        families = list(text_string_to_metric_families(sys.stdin.read()))
        print(len(families), sum(len(f.samples) for f in families))
        """
        let parsed = try await Command.run("python3", ["-c", script], stdin: openMetrics.body)
        #expect(parsed.status == 0, "strict OpenMetrics parser: \(parsed.stderr)")

        let gzipped = try await HTTP.get(exporter.url("/metrics"), headers: ["Accept-Encoding": "gzip"])
        #expect(gzipped.headers["content-encoding"] == "gzip")
        let gunzipped = try await Command.run("gzip", ["-d", "-c"], stdin: gzipped.body)
        #expect(gunzipped.status == 0)
        #expect(gunzipped.text.contains("qga_up{guest=\"alpha\"}"))
    }

    /// The agent runs on this host, so what it reports must match /proc and statvfs read
    /// around the same poll: counters between the readings before and after, sizes equal.
    @Test func valuesAgreeWithProcAndStatvfs() async throws {
        let agent = try await RealAgent.start()
        let spec = GuestSpec(name: "host", address: .unix(path: agent.socketPath), labels: [], interval: .seconds(60),
                             timeout: .seconds(5), collectors: CollectorSwitches(), source: "static")
        let client = AgentClient(address: spec.address)
        let poller = GuestPoller(spec: spec, client: client, filters: FilterSet.defaults, logger: .init(label: "t"), now: { UnixTime.now() })
        _ = await poller.poll()  // connect and learn capabilities first

        let before = try HostReadings.read()
        let fsBefore = try #require(HostReadings.filesystem("/"))
        let poll = await poller.poll()
        let after = try HostReadings.read()
        let fsAfter = try #require(HostReadings.filesystem("/"))
        #expect(poll.report.state == .up)
        let families = poll.families

        var checkedDisks = 0
        for (device, counters) in before.disks {
            guard let value = families.value("qga_disk_read_bytes", ["device": device]), let later = after.disks[device] else { continue }
            #expect(Double(counters[1]) * 512 <= value && value <= Double(later[1]) * 512, "read bytes of \(device)")
            let writes = try #require(families.value("qga_disk_writes_completed", ["device": device]))
            #expect(Double(counters[2]) <= writes && writes <= Double(later[2]), "writes of \(device)")
            checkedDisks += 1
        }
        #expect(checkedDisks > 0)

        for (cpu, ticks) in before.cpus {
            let later = try #require(after.cpus[cpu])
            for (index, mode) in ["user", "nice", "system", "idle"].enumerated() {
                let value = try #require(families.value("qga_cpu_seconds", ["cpu": String(cpu), "mode": mode]))
                // USER_HZ ticks -> seconds; the agent's milliseconds are whole ticks x 10 ms.
                let low = Double(ticks[index]) / HostReadings.userHZ, high = Double(later[index]) / HostReadings.userHZ
                #expect(low - 1e-9 <= value && value <= high + 1e-9, "cpu\(cpu) \(mode): \(low) <= \(value) <= \(high)")
            }
        }

        var checkedInterfaces = 0
        for (device, counters) in before.interfaces {
            guard let bytes = families.value("qga_network_receive_bytes", ["device": device]), let later = after.interfaces[device] else { continue }
            #expect(Double(counters[0]) <= bytes && bytes <= Double(later[0]), "rx bytes of \(device)")
            let packets = try #require(families.value("qga_network_transmit_packets", ["device": device]))
            #expect(Double(counters[3]) <= packets && packets <= Double(later[3]), "tx packets of \(device)")
            checkedInterfaces += 1
        }
        #expect(checkedInterfaces > 0)

        // qemu-ga 7.2 reports total-bytes = used + bavail (constant: blocks minus reserved).
        let size = try #require(families.value("qga_filesystem_size_bytes", ["mountpoint": "/"]))
        #expect(size == fsBefore.availUnprivilegedTotal && size == fsAfter.availUnprivilegedTotal)
        // Space moves while other work writes: the stated tolerance is 256 MiB around the readings.
        let tolerance = 256.0 * 1024 * 1024
        let avail = try #require(families.value("qga_filesystem_avail_bytes", ["mountpoint": "/"]))
        #expect(min(fsBefore.avail, fsAfter.avail) - tolerance <= avail && avail <= max(fsBefore.avail, fsAfter.avail) + tolerance)

        await client.close()
        await agent.stop()
    }

    /// A real Prometheus on loopback scrapes the exporter and answers a query for both guests.
    @Test func prometheusScrapesTheExporter() async throws {
        let first = try await RealAgent.start()
        let second = try await RealAgent.start()
        try await RunningExporter.with(guests: ["alpha=unix:\(first.socketPath)", "beta=unix:\(second.socketPath)"]) { exporter in
            let prometheus = try await RealPrometheus.start(scraping: "127.0.0.1:\(exporter.port)")
            defer { prometheus.stop() }
            let guests = try await prometheus.waitForSeries("qga_filesystem_avail_bytes", label: "guest", values: ["alpha", "beta"])
            #expect(guests == ["alpha", "beta"])
        }
        await first.stop()
        await second.stop()
    }
}

/// One sample of the 0.0.4 text, parsed simply (enough for our own output in tests).
struct ParsedSample {
    var name: String
    var labels: [String: String]
    var value: Double
}

func parseSamples(_ text: String) throws -> [ParsedSample] {
    var samples: [ParsedSample] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
        let series = line[..<space]
        var labels: [String: String] = [:]
        var name = String(series)
        if let brace = series.firstIndex(of: "{") {
            name = String(series[..<brace])
            let inner = series[series.index(after: brace)..<series.index(before: series.endIndex)]
            // Our label values in these tests never contain '",' so a plain split is enough.
            for pair in inner.components(separatedBy: "\",") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        samples.append(ParsedSample(name: name, labels: labels, value: value))
    }
    return samples
}
