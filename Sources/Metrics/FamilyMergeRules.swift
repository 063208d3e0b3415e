/// The family-level rules of a merge, shared by `MetricSet` (fragments of families) and
/// `ExpositionMerge` (encoded sources), so both resolve conflicts the same way.
enum FamilyMergeRules {
    /// Folds a later fragment's header into the family first seen under its name: the first
    /// type wins (a fragment of another type is dropped: false, and a problem), then the first
    /// non-empty help and the first unit.
    static func join(_ fragment: MetricFamily, into family: inout MetricFamily, problems: inout [String]) -> Bool {
        guard family.type == fragment.type else {
            problems.append(
                "\(fragment.name): fragment of type \(fragment.type.rawValue) dropped, "
                    + "the family is a \(family.type.rawValue)")
            return false
        }
        if family.help.isEmpty { family.help = fragment.help }
        if family.unit == nil { family.unit = fragment.unit }
        return true
    }

    /// The names OpenMetrics reserves per family (counter `x`: `x`, `x_total`, `x_created`;
    /// info `x`: `x`, `x_info`), claimed in order: a family whose names clash with an earlier
    /// one's is dropped.
    struct NameClaims {
        private var claimed: [String: String] = [:]

        /// True if `family` may be exposed; false (and a problem) if an earlier family owns one of its names.
        mutating func claim(_ family: MetricFamily, problems: inout [String]) -> Bool {
            let names = family.type.reservedNames(base: family.name)
            for name in names {
                guard let owner = claimed[name] else { continue }
                problems.append("\(family.name): family dropped, its names clash with family \(owner)")
                return false
            }
            for name in names { claimed[name] = family.name }
            return true
        }
    }
}
