/// The normalization behind `MetricSet`; see the rules listed there.
struct MetricSetBuilder {
    struct Result {
        var families: [MetricFamily]
        var problems: [String]
        var familiesWithDuplicates: Set<String>
    }

    private var merged: [MetricFamily] = []
    private var indexByName: [String: Int] = [:]
    private var problems: [String] = []

    mutating func add(_ fragment: MetricFamily) {
        guard let family = normalizedHeader(fragment) else { return }
        guard let index = indexByName[family.name] else {
            indexByName[family.name] = merged.count
            merged.append(family)
            return
        }
        guard FamilyMergeRules.join(family, into: &merged[index], problems: &problems) else { return }
        merged[index].samples.append(contentsOf: family.samples)
    }

    mutating func finish() -> Result {
        var claims = FamilyMergeRules.NameClaims()
        var kept: [MetricFamily] = []
        kept.reserveCapacity(merged.count)
        for family in merged where claims.claim(family, problems: &problems) {
            kept.append(family)
        }

        var withDuplicates: Set<String> = []
        for index in kept.indices {
            var reasons = DropReport(family: kept[index].name)
            let stateLabel = kept[index].type == .stateset ? kept[index].name : nil
            let valid = SampleRules.validSamples(of: kept[index], report: &reasons)
            let ordered = SeriesOrder.sortedUnique(valid, stateLabel: stateLabel)
            for duplicate in ordered.duplicates { reasons.drop(duplicate, because: "duplicate series") }
            if !ordered.duplicates.isEmpty { withDuplicates.insert(kept[index].sampleName) }
            kept[index].samples = SampleRules.consistentTimestamps(ordered.samples, of: kept[index], report: &reasons)
            problems.append(contentsOf: reasons.lines)
        }
        kept.sort { $0.name < $1.name }
        return Result(families: kept, problems: problems, familiesWithDuplicates: withDuplicates)
    }

    /// Name, suffix and unit rules; nil drops the fragment.
    private mutating func normalizedHeader(_ fragment: MetricFamily) -> MetricFamily? {
        var family = fragment
        if !NameRules.isValidMetricName(family.name) {
            guard let sanitized = NameRules.sanitizedMetricName(family.name) else {
                problems.append("family with an empty name dropped")
                return nil
            }
            problems.append("\(family.name): metric name sanitized to \(sanitized)")
            family.name = sanitized
        }
        let suffix = family.type.sampleSuffix
        if !suffix.isEmpty, family.name.hasSuffix(suffix) {
            let base = String(family.name.dropLast(suffix.count))
            guard NameRules.isValidMetricName(base) else {
                problems.append("\(family.name): family dropped, nothing is left of the name without \(suffix)")
                return nil
            }
            problems.append("\(family.name): trailing \(suffix) stripped, the encoders add it")
            family.name = base
        }
        if family.type == .stateset, !NameRules.isValidLabelName(family.name) {
            problems.append("\(family.name): stateset dropped, its name cannot be a label name")
            return nil
        }
        if let unit = family.unit {
            if unit.isEmpty {
                family.unit = nil
            } else if family.type == .info || family.type == .stateset {
                problems.append("\(family.name): unit \(unit) dropped, \(family.type.rawValue) has no unit")
                family.unit = nil
            } else if !family.name.hasSuffix("_" + unit) {
                problems.append("\(family.name): unit \(unit) dropped, it is not the name's suffix")
                family.unit = nil
            }
        }
        return family
    }
}

/// Counts what was dropped from one family, per reason, so a broken source cannot flood the
/// problem list with one line per series.
struct DropReport {
    let family: String
    private var reasons: [(reason: String, count: Int, example: String)] = []

    init(family: String) { self.family = family }

    mutating func drop(_ sample: Sample, because reason: String) {
        note(reason, example: LabelText.describe(sample.labels))
    }

    mutating func note(_ reason: String, example: String) {
        if let index = reasons.firstIndex(where: { $0.reason == reason }) {
            reasons[index].count += 1
        } else {
            reasons.append((reason, 1, example))
        }
    }

    var lines: [String] {
        reasons.map { entry in
            let count = entry.count > 1 ? " (x\(entry.count))" : ""
            let example = entry.example.isEmpty ? "" : ", first: \(entry.example)"
            return "\(family): \(entry.reason)\(count)\(example)"
        }
    }
}

enum LabelText {
    static func describe(_ labels: [Label]) -> String {
        "{" + labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }
}
