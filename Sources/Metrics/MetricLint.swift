/// Flags what `promtool check metrics` flags (client_golang `testutil/promlint`) in the 0.0.4
/// form of a set: missing help, counter `_total` rules, non-base units, histogram/summary
/// reserved suffixes and labels, type names in metric names, colons, camelCase, abbreviated
/// units, and series that were not unique (newer promlint; `MetricSet` dropped them).
/// Unlike promlint, each problem is reported once per family, sorted by metric and text.
public enum MetricLint {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var metric: String
        public var text: String

        public var description: String { "\(metric) \(text)" }
    }

    public static func lint(_ set: MetricSet) -> [Problem] {
        var problems: Set<Problem> = []
        for family in set.families {
            let exposed = ExposedFamily(family)
            for text in LintRules.problems(of: exposed) {
                problems.insert(Problem(metric: exposed.name, text: text))
            }
            if set.familiesWithDuplicates.contains(exposed.name) {
                problems.insert(Problem(metric: exposed.name, text: "metric not unique"))
            }
        }
        return problems.sorted { ($0.metric, $0.text) < ($1.metric, $1.text) }
    }
}

/// A family as the 0.0.4 text shows it to promtool.
struct ExposedFamily {
    enum Kind { case counter, gauge, untyped, histogram, summary }

    var name: String
    var kind: Kind
    var hasHelp: Bool
    var labelNames: Set<String>

    init(name: String, kind: Kind, hasHelp: Bool, labelNames: Set<String>) {
        self.name = name
        self.kind = kind
        self.hasHelp = hasHelp
        self.labelNames = labelNames
    }

    init(_ family: MetricFamily) {
        let kind: Kind = switch family.type {
        case .counter: .counter
        case .gauge, .info, .stateset: .gauge
        case .unknown: .untyped
        }
        var labelNames: Set<String> = []
        for sample in family.samples {
            for label in sample.labels { labelNames.insert(label.name) }
        }
        self.init(name: family.sampleName, kind: kind, hasHelp: !family.help.isEmpty, labelNames: labelNames)
    }
}
