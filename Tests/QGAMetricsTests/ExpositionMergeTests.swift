import Foundation
import NIOCore
import QGATestSupport
import Testing
@testable import QGAMetrics

/// `/metrics` is a merge of per-guest blocks encoded at poll time; it must say what
/// `ExpositionEncoder.encode(MetricSet(everything))` says, up to the order of series inside a
/// family (source by source instead of sorted by labels).
@Suite struct ExpositionMergeTests {
    /// The representative scrape split as the exporter splits it: one source per guest, in
    /// guest order, then the families no guest owns (the exporter's own).
    static func sourcesByGuest(_ fragments: [MetricFamily]) -> [[MetricFamily]] {
        var guests: [String] = []
        var byGuest: [String: [MetricFamily]] = [:]
        for fragment in fragments {
            let guest = fragment.samples.first?.labels.first { $0.name == "guest" }?.value ?? ""
            if byGuest[guest] == nil { guests.append(guest) }
            byGuest[guest, default: []].append(fragment)
        }
        let guestOrder = guests.filter { !$0.isEmpty }.sorted() + (byGuest[""] == nil ? [] : [""])
        return guestOrder.map { byGuest[$0]! }
    }

    static func merged(_ sources: [[MetricFamily]], _ format: ExpositionFormat) -> String {
        let merge = ExpositionMerge(sources.map { EncodedFamilies($0) })
        return String(decoding: merge.body(format).readableBytesView, as: UTF8.self)
    }

    static func reference(_ sources: [[MetricFamily]], _ format: ExpositionFormat) -> String {
        text(ExpositionEncoder.encode(MetricSet(sources.flatMap { $0 }), format: format))
    }

    static func sortedLines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).sorted()
    }

    /// The comment lines (HELP, TYPE, UNIT, EOF) in order: each family once, sorted by name.
    static func headerLines(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix("#") }
    }

    @Test(arguments: ExpositionFormat.allCases)
    func oneSourceIsByteEqualToTheEncoder(format: ExpositionFormat) {
        let expected = format == .prometheusText ? GoldenFixtures.prometheusText : GoldenFixtures.openMetrics
        #expect(Self.merged([GoldenFixtures.families], format) == expected)
    }

    @Test(arguments: ExpositionFormat.allCases)
    func guestsMergeToTheSameLinesAsOneMetricSet(format: ExpositionFormat) throws {
        let sources = Self.sourcesByGuest(RepresentativeFamilies.make())
        try #require(sources.count == 4)
        let merged = Self.merged(sources, format)
        let reference = Self.reference(sources, format)
        #expect(Self.sortedLines(merged) == Self.sortedLines(reference))
        #expect(Self.headerLines(merged) == Self.headerLines(reference))
        #expect(merged.utf8.count == reference.utf8.count)

        // Series of a family come guest by guest, in source order.
        let up = merged.split(separator: "\n").filter { $0.hasPrefix("qga_up{") }
        #expect(up == [#"qga_up{guest="vm-2"} 1"#, #"qga_up{guest="vm1"} 1"#, #"qga_up{guest="win\\server"} 1"#])
    }

    @Test func typeConflictBetweenGuestsKeepsTheFirstGuestsType() {
        let sources = [
            [MetricFamily(name: "qga_x", help: "A gauge.", type: .gauge, samples: [Sample(["guest": "a"], 1)])],
            [MetricFamily(name: "qga_x", help: "A counter.", type: .counter, samples: [Sample(["guest": "b"], 2)])],
            [MetricFamily(name: "qga_x", help: "", type: .gauge, samples: [Sample(["guest": "c"], 3)])],
        ]
        let merge = ExpositionMerge(sources.map { EncodedFamilies($0) })
        #expect(merge.problems == ["qga_x: fragment of type counter dropped, the family is a gauge"])
        #expect(merge.problems == MetricSet(sources.flatMap { $0 }).problems)
        for format in ExpositionFormat.allCases {
            let merged = Self.merged(sources, format)
            #expect(merged == Self.reference(sources, format))
            #expect(!merged.contains(#"guest="b""#))
        }
    }

    @Test func familiesWhoseNamesClashAcrossGuestsKeepTheFirst() {
        let sources = [
            [MetricFamily(name: "qga_y", help: "Counter y.", type: .counter, samples: [Sample(["guest": "a"], 1)])],
            [MetricFamily(name: "qga_y_total", help: "Gauge y_total.", type: .gauge, samples: [Sample(["guest": "b"], 2)])],
        ]
        let merge = ExpositionMerge(sources.map { EncodedFamilies($0) })
        #expect(merge.problems == ["qga_y_total: family dropped, its names clash with family qga_y"])
        for format in ExpositionFormat.allCases {
            #expect(Self.merged(sources, format) == Self.reference(sources, format))
        }
    }

    /// The exporter's own families are the last source: their own families sort in among the
    /// guests', and one they share with the guests gets one header and the guests' lines first.
    @Test(arguments: ExpositionFormat.allCases)
    func exporterFamiliesSortInAndShareHeaders(format: ExpositionFormat) {
        let guest = [
            MetricFamily(name: "qga_up", help: "Guest reached.", type: .gauge, samples: [Sample(["guest": "vm1"], 1)]),
            MetricFamily(name: "qga_polls", help: "", type: .counter, samples: [Sample(["guest": "vm1"], 3)]),
        ]
        let exporter = [
            MetricFamily(name: "qga_exporter_build", help: "Build.", type: .info, samples: [Sample(["version": "1"], 1)]),
            MetricFamily(name: "qga_polls", help: "Polls.", type: .counter, samples: [Sample(labels: [], value: 7)]),
            MetricFamily(name: "process_open_fds", help: "Open fds.", type: .gauge, samples: [Sample(labels: [], value: 9)]),
        ]
        let merged = Self.merged([guest, exporter], format)
        #expect(Self.sortedLines(merged) == Self.sortedLines(Self.reference([guest, exporter], format)))
        #expect(Self.headerLines(merged) == Self.headerLines(Self.reference([guest, exporter], format)))
        let name = format == .prometheusText ? "qga_polls_total" : "qga_polls"
        #expect(merged.contains("# HELP \(name) Polls.\n# TYPE \(name) counter\nqga_polls_total{guest=\"vm1\"} 3\nqga_polls_total 7\n"))
    }

    @Test(arguments: ExpositionFormat.allCases)
    func emptyGuestsAndEmptyFamiliesChangeNothing(format: ExpositionFormat) {
        let guest = [MetricFamily(name: "qga_up", help: "Reached.", type: .gauge, samples: [Sample(["guest": "vm1"], 1)])]
        let noSamples = [MetricFamily(name: "qga_users", help: "Logged-in users.", type: .gauge)]
        let withEmpty = ExpositionMerge([EncodedFamilies([]), EncodedFamilies(guest), EncodedFamilies([]), EncodedFamilies(noSamples)])
        let body = String(decoding: withEmpty.body(format).readableBytesView, as: UTF8.self)
        #expect(body == Self.reference([guest, noSamples], format))
        #expect(body.contains("# TYPE qga_users gauge\n"))

        let nothing = String(decoding: ExpositionMerge([]).body(format).readableBytesView, as: UTF8.self)
        #expect(nothing == (format == .openMetrics ? "# EOF\n" : ""))
        #expect(ExpositionMerge([EncodedFamilies([]), EncodedFamilies([])]).body(format).readableBytes == nothing.utf8.count)
    }

    @Test func timestampsAreSpelledPerFormat() {
        let guest = [MetricFamily(name: "qga_clock_seconds", help: "Clock.", type: .gauge, unit: "seconds",
                                  samples: [Sample(labels: [Label("guest", "vm1")], value: 5, timestampMilliseconds: 1_700_000_000_123)])]
        #expect(Self.merged([guest], .prometheusText).contains(#"qga_clock_seconds{guest="vm1"} 5 1700000000123"#))
        #expect(Self.merged([guest], .openMetrics).contains(#"qga_clock_seconds{guest="vm1"} 5 1700000000.123"#))
    }

    /// OpenMetrics checks info and stateset timestamps across the whole family: kept when every
    /// guest has the same one, dropped (as `MetricSet` drops them) when they differ.
    @Test(arguments: [(1_700_000_000_000, 1_700_000_000_000), (1_700_000_000_000, 1_700_000_009_000), (1_700_000_000_000, nil)] as [(Int64, Int64?)])
    func infoTimestampsAcrossGuests(first: Int64, second: Int64?) {
        let sources = [first, second].enumerated().map { index, timestamp in
            [MetricFamily(name: "qga_os", help: "OS.", type: .info,
                          samples: [Sample(labels: [Label("guest", "vm\(index)"), Label("id", "debian")], value: 1, timestampMilliseconds: timestamp)]),
             MetricFamily(name: "qga_fsfreeze_status", help: "Freeze.", type: .stateset,
                          samples: ["frozen", "thawed"].map {
                              Sample(labels: [Label("guest", "vm\(index)"), Label("qga_fsfreeze_status", $0)],
                                     value: $0 == "thawed" ? 1 : 0, timestampMilliseconds: timestamp)
                          })]
        }
        let merge = ExpositionMerge(sources.map { EncodedFamilies($0) })
        #expect(merge.problems.sorted() == MetricSet(sources.flatMap { $0 }).problems.sorted())
        #expect(merge.problems.isEmpty == (first == second))
        for format in ExpositionFormat.allCases {
            #expect(Self.sortedLines(Self.merged(sources, format)) == Self.sortedLines(Self.reference(sources, format)))
        }
    }

    @Test func promtoolAcceptsAMergedBody() throws {
        let body = Self.merged(Self.sourcesByGuest(RepresentativeFamilies.make()), .prometheusText)
        let output = try Command.runBlocking("promtool", ["check", "metrics"], stdin: Data(body.utf8))
        #expect(output.status == 0, "promtool: \(output.text)\(output.stderr)")
        #expect(output.text.isEmpty && output.stderr.isEmpty)
    }

    @Test func strictOpenMetricsParserAcceptsAMergedBody() throws {
        let fragments = RepresentativeFamilies.make()
        let body = Self.merged(Self.sourcesByGuest(fragments), .openMetrics)
        let script = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            families = list(text_string_to_metric_families(sys.stdin.read()))
            print(len(families), sum(len(f.samples) for f in families))
            """
        let output = try Command.runBlocking("python3", ["-c", script], stdin: Data(body.utf8))
        #expect(output.status == 0, "parser: \(output.stderr)")
        let set = MetricSet(fragments)
        let expected = "\(set.families.count) \(set.families.map(\.samples.count).reduce(0, +))\n"
        #expect(output.text == expected)
    }

    @Test(arguments: ExpositionFormat.allCases)
    func gzipBodyDecompressesToThePlainBody(format: ExpositionFormat) throws {
        let merge = ExpositionMerge(Self.sourcesByGuest(RepresentativeFamilies.make()).map { EncodedFamilies($0) })
        try #expect(Self.gunzip(merge.gzipBody(format)) == Array(merge.body(format).readableBytesView))
    }

    /// Megabytes of poorly compressible lines: many input chunks, and more output than zlib's
    /// window holds at once.
    @Test func largeGzipBodyDecompressesToThePlainBody() throws {
        var random = SeededGenerator(seed: 8)
        let sources = (0..<150).map { guest in
            [MetricFamily(name: "qga_noise", help: "Noise.", type: .gauge, samples: (0..<200).map { _ in
                Sample(labels: [Label("guest", "vm\(guest)"), Label("id", String(random.next(), radix: 36))],
                       value: Double(random.next() % 1_000_000_007) / 7)
            })]
        }
        let merge = ExpositionMerge(sources.map { EncodedFamilies($0) })
        let plain = Array(merge.body(.openMetrics).readableBytesView)
        let gzip = merge.gzipBody(.openMetrics)
        #expect(plain.count > 1_000_000)
        #expect(gzip.readableBytes > 128 * 1024 && gzip.readableBytes < plain.count)
        #expect(try Self.gunzip(gzip) == plain)
    }

    @Test func emptyGzipBodyIsValid() throws {
        #expect(try Self.gunzip(ExpositionMerge([]).gzipBody(.prometheusText)) == [])
        #expect(try Self.gunzip(ExpositionMerge([]).gzipBody(.openMetrics)) == Array("# EOF\n".utf8))
    }

    static func gunzip(_ body: ByteBuffer) throws -> [UInt8] {
        let output = try Command.runBlocking("gzip", ["-d", "-c"], stdin: Data(body.readableBytesView))
        #expect(output.status == 0, "gzip -d: \(output.stderr)")
        return Array(output.stdout)
    }
}
