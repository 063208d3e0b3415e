import Foundation
import QGATestSupport
import Testing
@testable import QGAMetrics

/// Cross-checks with independent real parsers: promtool for 0.0.4, Python's strict
/// OpenMetrics parser for OpenMetrics.
@Suite struct RealParserTests {
    @Test func promtoolAcceptsPrometheusTextWithoutProblems() throws {
        let body = ExpositionEncoder.encode(MetricSet(RepresentativeFamilies.make()), format: .prometheusText)
        let output = try Command.runBlocking("promtool", ["check", "metrics"], stdin: Data(body))
        #expect(output.status == 0, "promtool: \(output.text)\(output.stderr)")
        #expect(output.text.isEmpty && output.stderr.isEmpty)
    }

    @Test func promtoolAcceptsTheGoldenFixtures() throws {
        let body = ExpositionEncoder.encode(MetricSet(GoldenFixtures.families), format: .prometheusText)
        let output = try Command.runBlocking("promtool", ["check", "metrics"], stdin: Data(body))
        // The golden set has one family without help on purpose; nothing else may be flagged.
        #expect(output.text + output.stderr == "qga_mystery no help text\n")
    }

    @Test(arguments: ["representative", "golden"])
    func pythonStrictParserYieldsTheSameSamples(fixture: String) throws {
        let set = MetricSet(fixture == "golden" ? GoldenFixtures.families : RepresentativeFamilies.make())
        let body = ExpositionEncoder.encode(set, format: .openMetrics)
        let output = try Command.runBlocking("python3", ["-c", Self.parserScript], stdin: Data(body))
        try #require(output.status == 0, "parser: \(output.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]] ?? []

        #expect(parsed.map { $0["name"] as? String } == set.families.map(\.name))
        for (family, parsedFamily) in zip(set.families, parsed) {
            #expect(parsedFamily["type"] as? String == family.type.rawValue)
            #expect(parsedFamily["unit"] as? String == family.unit ?? "")
            #expect(parsedFamily["help"] as? String == family.help)
            let samples = parsedFamily["samples"] as? [[String: Any]] ?? []
            try #require(samples.count == family.samples.count, "\(family.name)")
            for (sample, parsedSample) in zip(family.samples, samples) {
                #expect(parsedSample["name"] as? String == family.sampleName)
                let labels = Dictionary(uniqueKeysWithValues: sample.labels.map { ($0.name, $0.value) })
                #expect(parsedSample["labels"] as? [String: String] == labels)
                let value = Double(parsedSample["value"] as? String ?? "")
                #expect(value == sample.value || (value?.isNaN == true && sample.value.isNaN), "\(family.name) \(labels)")
                #expect((parsedSample["ms"] as? Int).map(Int64.init) == sample.timestampMilliseconds)
            }
        }
    }

    private static let parserScript = """
        import json, sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        families = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            samples = []
            for s in family.samples:
                ms = None
                if s.timestamp is not None:
                    ms = s.timestamp.sec * 1000 + s.timestamp.nsec // 1000000
                samples.append({"name": s.name, "labels": s.labels, "value": repr(float(s.value)), "ms": ms})
            families.append({"name": family.name, "type": family.type, "unit": family.unit,
                             "help": family.documentation, "samples": samples})
        print(json.dumps(families))
        """
}
