import Foundation
import QGATestSupport
import Testing
@testable import QGAMetrics

@Suite struct MetricLintTests {
    private func lint(_ families: [MetricFamily]) -> [String] {
        MetricLint.lint(MetricSet(families)).map(\.description)
    }

    private func gauge(_ name: String, help: String = "h", labels: KeyValuePairs<String, String> = [:]) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .gauge, samples: [Sample(labels, 1)])
    }

    @Test func representativeSetIsClean() {
        #expect(MetricLint.lint(MetricSet(RepresentativeFamilies.make())).isEmpty)
    }

    @Test func eachRuleReportsPromlintsText() {
        #expect(lint([gauge("qga_nohelp", help: "")]) == ["qga_nohelp no help text"])
        #expect(lint([gauge("qga_read_milliseconds")]) == [#"qga_read_milliseconds use base unit "seconds" instead of "milliseconds""#])
        #expect(lint([gauge("qga_size_kilobytes")]) == [#"qga_size_kilobytes use base unit "bytes" instead of "kilobytes""#])
        #expect(lint([gauge("qga_errors_total")]) == [#"qga_errors_total non-counter metrics should not have "_total" suffix"#])
        #expect(lint([gauge("qga_things_count")]) == [#"qga_things_count non-histogram and non-summary metrics should not have "_count" suffix"#])
        #expect(lint([gauge("qga_things_sum")]) == [#"qga_things_sum non-histogram and non-summary metrics should not have "_sum" suffix"#])
        #expect(lint([gauge("qga_things_bucket")]) == [#"qga_things_bucket non-histogram metrics should not have "_bucket" suffix"#])
        #expect(lint([gauge("qga_x", labels: ["le": "1"])]) == [#"qga_x non-histogram metrics should not have "le" label"#])
        #expect(lint([gauge("qga_x", labels: ["quantile": "1"])]) == [#"qga_x non-summary metrics should not have "quantile" label"#])
        #expect(lint([gauge("qga_queue_gauge")]) == ["qga_queue_gauge metric name should not include type 'gauge'"])
        #expect(lint([gauge("qga:rule")]) == ["qga:rule metric names should not contain ':'"])
        #expect(lint([gauge("qga_fooBar")]) == ["qga_fooBar metric names should be written in 'snake_case' not 'camelCase'"])
        #expect(lint([gauge("qga_x", labels: ["someLabel": "1"])]) == ["qga_x label names should be written in 'snake_case' not 'camelCase'"])
        #expect(lint([gauge("qga_latency_ms")]) == ["qga_latency_ms metric names should not contain abbreviated units"])
    }

    @Test func counterSuffixRules() {
        // MetricSet always gives counters their `_total`, so lint the exposed form directly.
        let bare = ExposedFamily(name: "qga_reads", kind: .counter, hasHelp: true, labelNames: [])
        #expect(LintRules.problems(of: bare) == [#"counter metrics should have "_total" suffix"#])
        let untyped = ExposedFamily(name: "qga_reads_total", kind: .untyped, hasHelp: true, labelNames: [])
        #expect(LintRules.problems(of: untyped).isEmpty)
        #expect(lint([MetricFamily(name: "qga_reads", help: "h", type: .counter, samples: [Sample(value: 1)])]).isEmpty)
    }

    @Test func duplicateSeriesAreReportedAsNotUnique() {
        let family = MetricFamily(name: "qga_x", help: "h", type: .gauge, samples: [Sample(["a": "1"], 1), Sample(["a": "1"], 2)])
        #expect(lint([family]) == ["qga_x metric not unique"])
    }

    /// The same broken families through the real promtool: it must flag exactly what we flag
    /// (promtool 2.42 predates the "metric not unique" rule, so that one is left out).
    @Test func agreesWithPromtool() throws {
        let families = [
            gauge("qga_nohelp", help: ""), gauge("qga_read_milliseconds"), gauge("qga_latency_ms"),
            gauge("qga_errors_total"), gauge("qga_things_count"), gauge("qga_things_sum"), gauge("qga_b_bucket"),
            gauge("qga_queue_gauge", labels: ["camelLabel": "1", "le": "2"]), gauge("qga_q", labels: ["quantile": "0.5"]),
            gauge("qga:rule"), gauge("qga_fooBar"), gauge("qga_sizeKilobytes_kilobytes"),
            MetricFamily(name: "qga_counter_reads", help: "h", type: .counter, samples: [Sample(value: 1)]),
            MetricFamily(name: "qga_untyped_total", help: "h", type: .unknown, samples: [Sample(value: 1)]),
            MetricFamily(name: "qga_temp", help: "h", type: .info, samples: [Sample(value: 1)]),
        ]
        let set = MetricSet(families)
        let ours = Set(MetricLint.lint(set).map(\.description))
        let output = try Command.runBlocking("promtool", ["check", "metrics"],
                                              stdin: Data(ExpositionEncoder.encode(set, format: .prometheusText)))
        let theirs = Set((output.text + output.stderr).split(separator: "\n").map(String.init))
        #expect(output.status == 3)
        #expect(ours == theirs)
        #expect(ours.count >= 14)
    }
}
