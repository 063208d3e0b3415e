import NIOCore
import QGAMetrics
import Testing

@testable import QGAExporter

/// The store keeps a guest's families only encoded; readers of one guest get them decoded.
@Suite struct SnapshotStoreTests {
    static func report(_ name: String, up: Bool) -> GuestPoll {
        var report = GuestReport(name: name, address: "unix:/run/\(name).sock", source: "static", labels: [Label(name: "env", value: "prod")])
        report.state = up ? .up : .down
        let families = [
            MetricFamily(name: "qga_up", help: "Reached.", type: .gauge, samples: [Sample(labels: [], value: up ? 1 : 0)]),
            MetricFamily(name: "qga_disk_read_bytes_total", help: "Bytes read.", type: .counter, unit: "bytes",
                         samples: [Sample(["device": "vdb"], 2048), Sample(["device": "vda"], 1024)]),
        ]
        return GuestPoll(report: report, families: GuestLabels.attach(families, guest: name, staticLabels: report.labels))
    }

    @Test func oneGuestsFamiliesComeBackAsMetricSetLeftThem() throws {
        let store = SnapshotStore()
        let polled = Self.report("vm1", up: true)
        store.update(polled)
        let stored = try #require(store.report(named: "vm1"))
        let storedFamilies = try #require(store.families(named: "vm1"))
        let expected = MetricSet(polled.families).families
        #expect(storedFamilies.map(\.name) == ["qga_disk_read_bytes", "qga_up"])
        #expect(storedFamilies.map(\.name) == expected.map(\.name))
        for (family, wanted) in zip(storedFamilies, expected) {
            #expect(family.samples.map(\.labels) == wanted.samples.map(\.labels))
            #expect(family.samples.map(\.value) == wanted.samples.map(\.value))
        }
        #expect(stored.state == .up && stored.labels.map(\.name) == ["env"])
        #expect(store.report(named: "vm2") == nil)
    }

    @Test func listsCarryNoFamiliesButTheExpositionHasThem() throws {
        let store = SnapshotStore()
        store.update(Self.report("vm2", up: false))
        store.update(Self.report("vm1", up: true))
        store.register(GuestReport(name: "vm3", address: "unix:/run/vm3.sock", source: "static", labels: []))
        #expect(store.reports().map(\.name) == ["vm1", "vm2", "vm3"])
        // node_exporter's names for /probe?module=node, encoded at the same time.
        let node = try #require(store.exposition(named: "vm1", module: .node))
        let nodeText = String(decoding: ExpositionMerge([node]).body(.prometheusText).readableBytesView, as: UTF8.self)
        #expect(nodeText.contains("node_disk_read_bytes_total{device=\"vda\",env=\"prod\"} 1024"))
        #expect(!nodeText.contains("guest="))
        let snapshot = store.expositions()
        #expect(snapshot.reports.map(\.name) == ["vm1", "vm2", "vm3"])
        let body = String(decoding: ExpositionMerge(snapshot.expositions).body(.prometheusText).readableBytesView, as: UTF8.self)
        #expect(body.contains("# TYPE qga_up gauge\nqga_up{env=\"prod\",guest=\"vm1\"} 1\nqga_up{env=\"prod\",guest=\"vm2\"} 0\n"))
        #expect(store.pollCounts == (1, 1))
    }

    /// A poll whose worker is stopped (a reload) ends without a result: whoever waits for it
    /// answers at once, and no later request waits for it.
    @Test func anAbandonedPollReleasesItsWaiters() async throws {
        let store = SnapshotStore()
        store.update(Self.report("vm1", up: true))
        store.pollStarted("vm1")
        let started = ContinuousClock.now
        let waiter = Task { await store.waitForPoll(of: "vm1", upTo: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))  // the waiter is registered
        store.pollAbandoned("vm1")
        await waiter.value
        #expect(ContinuousClock.now - started < .seconds(30), "released by the abandoned poll, not by its 60 s limit")
        let again = ContinuousClock.now
        await store.waitForPoll(of: "vm1", upTo: .seconds(60))
        #expect(ContinuousClock.now - again < .seconds(30), "nothing is in flight any more")
        #expect(store.report(named: "vm1")?.state == .up, "the last poll's data stays")
    }
}
