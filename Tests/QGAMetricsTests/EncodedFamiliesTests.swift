import Testing
@testable import QGAMetrics

/// A guest's families are stored only encoded; reading them back must give exactly what
/// `MetricSet` made of them.
@Suite struct EncodedFamiliesTests {
    @Test(arguments: ["representative", "golden"])
    func decodedFamiliesAreTheNormalizedFamilies(fixture: String) {
        let set = MetricSet(fixture == "golden" ? GoldenFixtures.families : RepresentativeFamilies.make())
        let decoded = EncodedFamilies(set).decodedFamilies()
        #expect(decoded.map(\.name) == set.families.map(\.name))
        for (family, expected) in zip(decoded, set.families) {
            #expect(family.help == expected.help && family.type == expected.type && family.unit == expected.unit, "\(family.name)")
            #expect(family.samples.count == expected.samples.count, "\(family.name)")
            for (sample, wanted) in zip(family.samples, expected.samples) {
                #expect(sample.labels == wanted.labels, "\(family.name)")
                #expect(sample.value == wanted.value || (sample.value.isNaN && wanted.value.isNaN), "\(family.name) \(sample.labels)")
                #expect(sample.timestampMilliseconds == wanted.timestampMilliseconds, "\(family.name)")
            }
        }
        // Encoding what was decoded gives the same bytes: nothing was lost on the way.
        #expect(EncodedFamilies(decoded).bytes == EncodedFamilies(set).bytes)
    }

    @Test func valuesOfEverySpellingReadBack() {
        let values: [Double] = [0, -0.0, 1, -1, 0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, 9_007_199_254_740_993,
                                1_700_000_000.123456, -2_147_483_647.5, .infinity, -.infinity, 123_456_789_012_345_678]
        let family = MetricFamily(name: "qga_values", help: "Values.", type: .gauge,
                                  samples: values.enumerated().map { Sample(labels: [Label("index", "\($0.offset)")], value: $0.element) })
        // Series come back sorted by label value ("0", "1", "10", ...): compare by index.
        let decoded = EncodedFamilies([family]).decodedFamilies().first?.samples ?? []
        let byIndex = Dictionary(uniqueKeysWithValues: decoded.map { (Int($0.labels[0].value)!, $0.value) })
        #expect(byIndex == Dictionary(uniqueKeysWithValues: values.enumerated().map { ($0.offset, $0.element) }))
    }

    @Test func emptySourceDecodesToNothing() {
        #expect(EncodedFamilies([]).decodedFamilies().isEmpty)
    }
}
