import QGATestSupport
import Testing
@testable import QGAMetrics

@Suite struct NumberSpellingTests {
    private func spell(_ value: Double) -> String {
        text(ByteWriter.render(capacity: 32) { NumberSpelling.write(value, to: &$0) })
    }

    @Test(arguments: [
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
        (0, "0"), (-0.0, "0"), (1, "1"), (-3, "-3"), (1024, "1024"),
        (1e15, "1000000000000000"), (9_007_199_254_740_994, "9007199254740994"),
        (-9_223_372_036_854_775_808, "-9223372036854775808"),
        (0.5, "0.5"), (-2.25, "-2.25"), (0.001, "0.001"), (1234.567, "1234.567"), (0.000001, "0.000001"),
        (0.1, "0.1"), (0.30000000000000004, "0.30000000000000004"), (1e-7, "1e-07"),
        (9_223_372_036_854_775_808, "9.223372036854776e+18"), (1e300, "1e+300"),
        (Double.leastNonzeroMagnitude, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (3_000_000_000.5, "3000000000.5"),
    ])
    func spelling(value: Double, expected: String) {
        #expect(spell(value) == expected)
    }

    /// Every spelling reads back to the same Double, whichever path wrote it.
    @Test func spellingsRoundTrip() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let candidates = [
                Double(bitPattern: generator.next()),
                Double(Int64(bitPattern: generator.next()) % 10_000_000) / 1000,
                Double(generator.next() % 1_000_000) / 7,
            ]
            for value in candidates where value.isFinite {
                #expect(Double(spell(value)) == value, "\(value) spelled \(spell(value))")
            }
        }
    }
}
