import Testing

@testable import QGAExporter

/// Inputs the fuzzers (fuzz/, docs/fuzzing.md) found to crash or misbehave, kept as tests.
@Suite struct FuzzFindingsTests {
    /// FuzzConfig: parts that each fit in Int64 milliseconds but whose sum does not trapped
    /// with "arithmetic overflow" in `PrometheusDuration.parse`, taking the exporter down at start
    /// (config file or `--poll.interval`) or on reload.
    @Test(arguments: ["292471208y52w", "9223372036854775s808ms", "106751991167d8h"])
    func durationWhosePartsOverflowTogetherIsRefused(text: String) {
        #expect(PrometheusDuration.parse(text) == nil)
    }

    @Test func largestDurationStillParses() {
        #expect(PrometheusDuration.parse("9223372036854775s807ms") == .milliseconds(Int64.max))
    }

    @Test func configWithOverflowingDurationIsAnErrorNamingTheKey() {
        #expect {
            try ConfigLoader.parse("poll: {interval: 292471208y52w}\n", file: "fuzz.yml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == "fuzz.yml" && error.line == 1 && error.key == "poll.interval"
                && error.message.hasPrefix("invalid duration")
        }
    }
}
