/// Per-sample rules of `MetricSet`: label names, values by type, timestamps of info/stateset.
enum SampleRules {
    /// The samples of `family` that may be exposed, with label names repaired. Returns the
    /// family's own array untouched (no copy) when every sample is already fine.
    static func validSamples(of family: MetricFamily, report: inout DropReport) -> [Sample] {
        var samples = family.samples
        var dropped: [Int] = []
        for index in samples.indices {
            if !labelsAreClean(samples[index].labels) {
                samples[index].labels = repairedLabels(samples[index].labels, report: &report)
            }
            if let reason = rejection(of: samples[index], in: family) {
                report.drop(samples[index], because: reason)
                dropped.append(index)
            }
        }
        guard !dropped.isEmpty else { return samples }
        var kept: [Sample] = []
        kept.reserveCapacity(samples.count - dropped.count)
        var next = dropped.makeIterator(), skip = next.next()
        for index in samples.indices {
            if index == skip { skip = next.next() } else { kept.append(samples[index]) }
        }
        return kept
    }

    /// Keeps info and stateset timestamps only when the whole family shares one timestamp.
    static func consistentTimestamps(_ samples: [Sample], of family: MetricFamily, report: inout DropReport) -> [Sample] {
        guard family.type == .info || family.type == .stateset, let first = samples.first else { return samples }
        if samples.allSatisfy({ $0.timestampMilliseconds == first.timestampMilliseconds }) { return samples }
        report.note("timestamps dropped, they differ within the \(family.type.rawValue)", example: "")
        return samples.map { Sample(labels: $0.labels, value: $0.value) }
    }

    private static func rejection(of sample: Sample, in family: MetricFamily) -> String? {
        let value = sample.value
        switch family.type {
        case .counter:
            if value.isNaN { return "counter sample dropped, value NaN" }
            if value < 0 { return "counter sample dropped, value negative" }
        case .info:
            if value != 1 { return "info sample dropped, value not 1" }
        case .stateset:
            if value != 0 && value != 1 { return "stateset sample dropped, value not 0 or 1" }
            if !sample.labels.contains(where: { $0.name == family.name }) {
                return "stateset sample dropped, no \(family.name) label"
            }
        case .gauge, .unknown:
            break
        }
        return nil
    }

    /// True when every label name is valid and used once: the fast path for almost every series.
    private static func labelsAreClean(_ labels: [Label]) -> Bool {
        for index in labels.indices {
            let name = labels[index].name
            if !NameRules.isValidLabelName(name) { return false }
            var other = 0
            while other < index {
                if labels[other].name == name { return false }
                other += 1
            }
        }
        return true
    }

    private static func repairedLabels(_ labels: [Label], report: inout DropReport) -> [Label] {
        var repaired: [Label] = []
        repaired.reserveCapacity(labels.count)
        for label in labels {
            var name = label.name
            if !NameRules.isValidLabelName(name) {
                guard let sanitized = NameRules.sanitizedLabelName(name) else {
                    report.note("label \"\(name)\" dropped, empty or reserved", example: LabelText.describe(labels))
                    continue
                }
                report.note("label \"\(name)\" renamed to \(sanitized)", example: LabelText.describe(labels))
                name = sanitized
            }
            if repaired.contains(where: { $0.name == name }) {
                report.note("repeated label \(name) dropped, first value kept", example: LabelText.describe(labels))
                continue
            }
            repaired.append(Label(name: name, value: label.value))
        }
        return repaired
    }
}
