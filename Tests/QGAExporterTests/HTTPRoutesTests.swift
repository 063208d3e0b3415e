import Foundation
import QGAMetrics
import Testing

@testable import QGAExporter

/// The HTTP surface over a real socket, with guests that do not answer (no agent needed).
@Suite(.serialized) struct HTTPRoutesTests {
    @Test func routesAnswerWithTheRightStatusAndTypes() async throws {
        let silent = try SilentSocket()
        try await RunningExporter.with(guests: ["quiet=unix:\(silent.path)", "gone=unix:/nonexistent/qga.sock"],
                                       timeout: .milliseconds(300)) { exporter in
            #expect(await exporter.wait { $0.state(of: "gone") == .down && $0.state(of: "quiet") == .down })

            let landing = try await HTTP.get(exporter.url("/"))
            #expect(landing.status == 200)
            #expect(landing.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(landing.text.contains("quiet") && landing.text.contains("gone") && landing.text.contains("down"))

            #expect(try await HTTP.get(exporter.url("/-/healthy")).status == 200)
            #expect(try await HTTP.get(exporter.url("/-/ready")).status == 200)

            let metrics = try await HTTP.get(exporter.url("/metrics"))
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.text.contains(#"qga_up{guest="quiet"} 0"#))
            #expect(metrics.text.contains(#"qga_up{guest="gone"} 0"#))
            #expect(metrics.text.contains("qga_exporter_guests 2"))
            #expect(metrics.text.contains("process_resident_memory_bytes"))

            let openMetrics = try await HTTP.get(exporter.url("/metrics"), headers: ["Accept": "application/openmetrics-text;version=1.0.0,*/*;q=0.1"])
            #expect(openMetrics.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(openMetrics.text.hasSuffix("# EOF\n"))

            let refused = try await HTTP.get(exporter.url("/metrics"), headers: ["Accept-Encoding": "gzip;q=0, identity;q=0"])
            #expect(refused.status == 406)

            #expect(try await HTTP.get(exporter.url("/probe")).status == 400)
            #expect(try await HTTP.get(exporter.url("/probe?target=nosuch")).status == 404)
            #expect(try await HTTP.get(exporter.url("/probe?target=quiet&module=bogus")).status == 400)
            let probe = try await HTTP.get(exporter.url("/probe?target=quiet&module=node"))
            #expect(probe.status == 200)
            #expect(probe.text.contains("qga_up 0"))

            let sd = try await HTTP.get(exporter.url("/sd"))
            #expect(sd.headers["content-type"] == "application/json")
            let groups = try JSONSerialization.jsonObject(with: sd.body) as? [[String: Any]]
            let targets = groups?.compactMap { ($0["targets"] as? [String])?.first }
            #expect(targets?.sorted() == ["gone", "quiet"])
            let labels = groups?.first?["labels"] as? [String: String]
            #expect(labels?["__meta_qga_state"] == "down")

            #expect(try await HTTP.get(exporter.url("/no/such/path")).status == 404)
        }
    }

    @Test func downGuestsSayWhy() async throws {
        try await RunningExporter.with(guests: ["gone=unix:/nonexistent/qga.sock"], timeout: .milliseconds(300)) { exporter in
            #expect(await exporter.wait { $0.state(of: "gone") == .down })
            let report = try #require(exporter.store.report(named: "gone"))
            #expect(report.errorKind == "socketNotFound")
            #expect(report.lastError?.contains("/nonexistent/qga.sock") == true)
        }
    }
}
