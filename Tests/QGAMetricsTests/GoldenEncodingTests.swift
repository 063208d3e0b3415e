import Foundation
import Testing
@testable import QGAMetrics

@Suite struct GoldenEncodingTests {
    @Test func prometheusTextMatchesGolden() {
        #expect(encode(GoldenFixtures.families, .prometheusText) == GoldenFixtures.prometheusText)
    }

    @Test func openMetricsMatchesGolden() {
        #expect(encode(GoldenFixtures.families, .openMetrics) == GoldenFixtures.openMetrics)
    }

    @Test func fixturesNeedNoRepair() {
        #expect(MetricSet(GoldenFixtures.families).problems.isEmpty)
    }

    @Test func emptySetIsEmptyOrJustEOF() {
        #expect(encode([], .prometheusText) == "")
        #expect(encode([], .openMetrics) == "# EOF\n")
    }

    @Test func familyWithoutSamplesKeepsItsMetadata() {
        let families = [MetricFamily(name: "qga_users", help: "Logged-in users.", type: .gauge)]
        #expect(encode(families, .prometheusText) == "# HELP qga_users Logged-in users.\n# TYPE qga_users gauge\n")
        #expect(encode(families, .openMetrics) == "# HELP qga_users Logged-in users.\n# TYPE qga_users gauge\n# EOF\n")
    }

    @Test func counterTotalIsAddedOnceInEachFormat() {
        let families = [
            MetricFamily(name: "qga_requests_total", help: "Requests.", type: .counter, samples: [Sample(value: 3)])
        ]
        #expect(encode(families, .prometheusText) == """
            # HELP qga_requests_total Requests.
            # TYPE qga_requests_total counter
            qga_requests_total 3

            """)
        #expect(encode(families, .openMetrics) == """
            # HELP qga_requests Requests.
            # TYPE qga_requests counter
            qga_requests_total 3
            # EOF

            """)
    }

    @Test func timestampsInBothFormats() {
        let samples = [-1_500, 0, 1_700_000_000_000, 1_700_000_000_100, 1_700_000_000_005].enumerated().map {
            Sample(labels: [Label("n", "\($0.offset)")], value: 1, timestampMilliseconds: Int64($0.element))
        }
        let families = [MetricFamily(name: "g", help: "h", type: .gauge, samples: samples)]
        let promLines = encode(families, .prometheusText).split(separator: "\n").dropFirst(2)
        #expect(promLines.map { String($0.split(separator: " ").last!) }
            == ["-1500", "0", "1700000000000", "1700000000100", "1700000000005"])
        let omLines = encode(families, .openMetrics).split(separator: "\n").dropFirst(2).dropLast()
        #expect(omLines.map { String($0.split(separator: " ").last!) }
            == ["-1.5", "0", "1700000000", "1700000000.1", "1700000000.005"])
    }

    @Test func unicodeLabelValuesPassThrough() {
        let families = [MetricFamily(name: "g", help: "Grüße", type: .gauge, samples: [Sample(["m": "/mnt/données ✓"], 1)])]
        #expect(encode(families, .prometheusText) == "# HELP g Grüße\n# TYPE g gauge\ng{m=\"/mnt/données ✓\"} 1\n")
    }

    @Test func seriesOrderIgnoresLabelOrderButKeepsItInOutput() {
        let families = [
            MetricFamily(name: "g", help: "h", type: .gauge, samples: [
                Sample(["b": "1", "a": "2"], 1),
                Sample(["a": "1", "b": "9"], 2),
            ])
        ]
        #expect(encode(families, .prometheusText) == "# HELP g h\n# TYPE g gauge\ng{a=\"1\",b=\"9\"} 2\ng{b=\"1\",a=\"2\"} 1\n")
    }
}

@Suite struct ByteWriterTests {
    /// The capacity is a worst-case bound; should it ever be short, the text is rendered again
    /// with more room instead of being cut or written out of bounds.
    @Test func tooSmallCapacityRendersAgainInFull() {
        let long = String(repeating: "a\\b\n\"c\" ", count: 100)
        let bytes = ByteWriter.render(capacity: 1) { writer in
            writer.write(long)
            writer.writeEscaped(long, quotes: true)
            writer.writeDigits(12_345, minimumDigits: 8)
        }
        let expected = long + long.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\"", with: "\\\"") + "00012345"
        #expect(text(bytes) == expected)
    }

    @Test func worstCaseSizeCoversHeavilyEscapedText() {
        let nasty = String(repeating: "\\\"\n", count: 50)
        let families = [
            MetricFamily(name: "g", help: nasty, type: .gauge, samples: [
                Sample(labels: [Label("l", nasty)], value: -Double.greatestFiniteMagnitude, timestampMilliseconds: .min)
            ])
        ]
        let set = MetricSet(families)
        for format in ExpositionFormat.allCases {
            #expect(ExpositionEncoder.encode(set, format: format).count <= ExpositionEncoder.worstCaseSize(of: set))
        }
    }
}
