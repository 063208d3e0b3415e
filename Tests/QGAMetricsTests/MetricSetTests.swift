import Testing
@testable import QGAMetrics

@Suite struct MetricSetTests {
    private func labels(_ sample: Sample) -> [String] { sample.labels.map { "\($0.name)=\($0.value)" } }

    @Test func fragmentsOfOneFamilyFromManyGuestsAreMerged() {
        let set = MetricSet([
            MetricFamily(name: "qga_up", help: "", type: .gauge, samples: [Sample(["guest": "vm2"], 1)]),
            MetricFamily(name: "qga_other", help: "Other.", type: .gauge, samples: [Sample(value: 5)]),
            MetricFamily(name: "qga_up", help: "Reached.", type: .gauge, unit: nil, samples: [Sample(["guest": "vm1"], 0)]),
        ])
        #expect(set.families.map(\.name) == ["qga_other", "qga_up"])
        #expect(set.families[1].help == "Reached.")
        #expect(set.families[1].samples.map(labels) == [["guest=vm1"], ["guest=vm2"]])
        #expect(set.problems.isEmpty)
    }

    @Test func conflictingTypeFragmentIsDroppedAndReported() {
        let set = MetricSet([
            MetricFamily(name: "qga_x", help: "h", type: .gauge, samples: [Sample(["guest": "a"], 1)]),
            MetricFamily(name: "qga_x", help: "h", type: .unknown, samples: [Sample(["guest": "b"], 2)]),
        ])
        #expect(set.families.count == 1)
        #expect(set.families[0].type == .gauge)
        #expect(set.families[0].samples.count == 1)
        #expect(set.problems == ["qga_x: fragment of type unknown dropped, the family is a gauge"])
    }

    @Test func duplicateSeriesKeepTheFirstWhateverTheLabelOrder() {
        let set = MetricSet([
            MetricFamily(name: "g", help: "h", type: .gauge, samples: [
                Sample(["a": "1", "b": "2"], 10),
                Sample(["c": "0"], 5),
                Sample(["b": "2", "a": "1"], 20),
                Sample(["a": "1", "b": "2"], 30),
            ])
        ])
        #expect(set.families[0].samples.map(\.value) == [10, 5])
        #expect(set.problems == [#"g: duplicate series (x2), first: {b="2",a="1"}"#])
    }

    @Test func canonicallyEquivalentButDifferentBytesAreTwoSeries() {
        let set = MetricSet([
            MetricFamily(name: "g", help: "h", type: .gauge, samples: [
                Sample(["v": "\u{E9}"], 1), Sample(["v": "e\u{301}"], 2),
            ])
        ])
        #expect(set.families[0].samples.count == 2)
    }

    @Test(arguments: [
        ("qga-disk.read", "qga_disk_read"), ("1abc", "_1abc"), ("ünï:code", "_n_:code"), ("ok_name:x", "ok_name:x"),
    ])
    func invalidMetricNamesAreSanitized(given: String, expected: String) {
        let set = MetricSet([MetricFamily(name: given, help: "h", type: .gauge, samples: [Sample(value: 1)])])
        #expect(set.families.map(\.name) == [expected])
        #expect(set.problems.count == (given == expected ? 0 : 1))
    }

    @Test func emptyNameDropsTheFamily() {
        let set = MetricSet([MetricFamily(name: "", help: "h", type: .gauge, samples: [Sample(value: 1)])])
        #expect(set.families.isEmpty)
        #expect(set.problems == ["family with an empty name dropped"])
    }

    @Test func suffixesGivenByMistakeAreStripped() {
        let set = MetricSet([
            MetricFamily(name: "qga_reads_total", help: "h", type: .counter, samples: [Sample(value: 1)]),
            MetricFamily(name: "qga_agent_info", help: "h", type: .info, samples: [Sample(value: 1)]),
            MetricFamily(name: "_total", help: "h", type: .counter, samples: [Sample(value: 1)]),
        ])
        #expect(set.families.map(\.name) == ["qga_agent", "qga_reads"])
        #expect(set.families.map(\.sampleName) == ["qga_agent_info", "qga_reads_total"])
        #expect(set.problems.count == 3)
    }

    @Test func clashingNamesKeepTheFirstFamily() {
        let set = MetricSet([
            MetricFamily(name: "x", help: "h", type: .counter, samples: [Sample(value: 1)]),
            MetricFamily(name: "x_total", help: "h", type: .gauge, samples: [Sample(value: 2)]),
            MetricFamily(name: "x_created", help: "h", type: .gauge, samples: [Sample(value: 3)]),
            MetricFamily(name: "y_info", help: "h", type: .gauge, samples: [Sample(value: 4)]),
            MetricFamily(name: "y", help: "h", type: .info, samples: [Sample(value: 1)]),
        ])
        #expect(set.families.map(\.name) == ["x", "y_info"])
        #expect(set.problems == [
            "x_total: family dropped, its names clash with family x",
            "x_created: family dropped, its names clash with family x",
            "y: family dropped, its names clash with family y_info",
        ])
    }

    @Test func unitMustBeTheNameSuffixAndIsRefusedOnInfoAndStateset() {
        let set = MetricSet([
            MetricFamily(name: "a_bytes", help: "h", type: .gauge, unit: "bytes"),
            MetricFamily(name: "b_bytes", help: "h", type: .gauge, unit: "seconds"),
            MetricFamily(name: "c_bytes", help: "h", type: .info, unit: "bytes"),
            MetricFamily(name: "d", help: "h", type: .gauge, unit: ""),
        ])
        #expect(set.families.map(\.unit) == ["bytes", nil, nil, nil])
        #expect(set.problems.count == 2)
    }

    @Test func labelNamesAreSanitizedDroppedOrDeduplicated() {
        let set = MetricSet([
            MetricFamily(name: "g", help: "h", type: .gauge, samples: [
                Sample(labels: [
                    Label("my-label", "1"), Label("__name__", "x"), Label("", "y"), Label("9lives", "z"),
                    Label("ok", "first"), Label("ok", "second"),
                ], value: 1)
            ])
        ])
        #expect(set.families[0].samples.map(labels) == [["my_label=1", "_9lives=z", "ok=first"]])
        #expect(set.problems.count == 5)
    }

    @Test func valuesTheTypeForbidsAreDropped() {
        let set = MetricSet([
            MetricFamily(name: "c", help: "h", type: .counter, samples: [
                Sample(["k": "nan"], .nan), Sample(["k": "neg"], -1), Sample(["k": "inf"], .infinity), Sample(["k": "ok"], 0),
            ]),
            MetricFamily(name: "i", help: "h", type: .info, samples: [Sample(["k": "a"], 2), Sample(["k": "b"], 1)]),
            MetricFamily(name: "s", help: "h", type: .stateset, samples: [
                Sample(["s": "a"], 0.5), Sample(["s": "b"], 1), Sample(["other": "c"], 1),
            ]),
            MetricFamily(name: "g", help: "h", type: .gauge, samples: [Sample(["k": "nan"], .nan), Sample(["k": "neg"], -1)]),
        ])
        #expect(set.families.map { $0.samples.count } == [2, 2, 1, 1])
        #expect(set.families.first { $0.name == "c" }?.samples.map(labels) == [["k=inf"], ["k=ok"]])
        #expect(set.problems.count == 5)
    }

    @Test func statesetNameMustBeALabelName() {
        let set = MetricSet([MetricFamily(name: "a:b", help: "h", type: .stateset)])
        #expect(set.families.isEmpty)
        #expect(set.problems == ["a:b: stateset dropped, its name cannot be a label name"])
    }

    @Test func statesetStatesOfOneSeriesStayTogether() {
        let set = MetricSet([
            MetricFamily(name: "s", help: "h", type: .stateset, samples: [
                Sample(["s": "a", "guest": "vm2"], 1), Sample(["s": "b", "guest": "vm1"], 0),
                Sample(["s": "a", "guest": "vm1"], 1), Sample(["s": "b", "guest": "vm2"], 0),
            ])
        ])
        #expect(set.families[0].samples.map(labels) == [
            ["s=a", "guest=vm1"], ["s=b", "guest=vm1"], ["s=a", "guest=vm2"], ["s=b", "guest=vm2"],
        ])
    }

    @Test func infoTimestampsSurviveOnlyWhenShared() {
        let shared = MetricSet([
            MetricFamily(name: "i", help: "h", type: .info, samples: [
                Sample(labels: [Label("v", "1")], value: 1, timestampMilliseconds: 5),
                Sample(labels: [Label("v", "2")], value: 1, timestampMilliseconds: 5),
            ])
        ])
        #expect(shared.families[0].samples.map(\.timestampMilliseconds) == [5, 5])
        let mixed = MetricSet([
            MetricFamily(name: "i", help: "h", type: .info, samples: [
                Sample(labels: [Label("v", "1")], value: 1, timestampMilliseconds: 5),
                Sample(labels: [Label("v", "2")], value: 1),
            ])
        ])
        #expect(mixed.families[0].samples.map(\.timestampMilliseconds) == [nil, nil])
        #expect(mixed.problems == ["i: timestamps dropped, they differ within the info"])
    }

    @Test func manyBrokenSeriesGiveOneProblemLine() {
        let samples = (0..<1000).map { _ in Sample(["k": "same"], 1) }
        let set = MetricSet([MetricFamily(name: "g", help: "h", type: .gauge, samples: samples)])
        #expect(set.families[0].samples.count == 1)
        #expect(set.problems == [#"g: duplicate series (x999), first: {k="same"}"#])
    }
}
