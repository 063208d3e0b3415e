/// Merges family fragments from many sources (one per guest) into one sorted, valid set:
/// same name -> samples combined (first non-empty help, first unit and first type win; a
/// fragment of a conflicting type is dropped and reported), families sorted by name, series
/// sorted by labels, duplicate series dropped (first wins) and reported, invalid names
/// sanitized or dropped by rule. Never crashes; everything it changed is in `problems`.
///
/// The rules, so that both formats and every strict parser accept the result:
/// - Metric names: invalid characters become `_`, a leading digit gets a `_` prefix; an empty
///   name drops the family. A counter's trailing `_total` and an info's trailing `_info` are
///   stripped (the encoders add them).
/// - Families whose names clash in OpenMetrics (counter `x` reserves `x`, `x_total`,
///   `x_created`; info `x` reserves `x`, `x_info`) are dropped after the first.
/// - A unit that is not the name's suffix, or on an info or stateset, is dropped.
/// - Label names: sanitized like metric names (no colon); empty or reserved (`__` prefix)
///   labels are dropped; a repeated label name in one series keeps its first value.
/// - Values: counters must not be NaN or negative, info values must be 1, stateset values 0 or
///   1 with the state label present; other samples are dropped.
/// - Info and stateset timestamps are dropped unless every sample of the family has the same
///   one (OpenMetrics checks timestamps per group, and an info family is a single group).
public struct MetricSet: Sendable {
    public let families: [MetricFamily]
    public let problems: [String]
    /// Names of the families that lost duplicate series, for `MetricLint` ("metric not unique").
    let familiesWithDuplicates: Set<String>

    public init(_ fragments: [MetricFamily]) {
        var builder = MetricSetBuilder()
        for fragment in fragments { builder.add(fragment) }
        let result = builder.finish()
        families = result.families
        problems = result.problems
        familiesWithDuplicates = result.familiesWithDuplicates
    }
}
