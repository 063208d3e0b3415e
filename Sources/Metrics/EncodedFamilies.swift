/// One source's families (one guest's), normalized as `MetricSet` does and encoded once, when
/// the source changes, so that a scrape only copies bytes (see `ExpositionMerge`).
///
/// Sample lines are the same bytes in both formats unless a sample has a timestamp, so a
/// family's lines are kept once and only its header is written per format, at merge time. A
/// family with timestamps is kept in both spellings.
public struct EncodedFamilies: Sendable {
    /// One family: its header fields and where its sample lines are in `bytes`.
    struct Family: Sendable {
        /// Name, help, type and unit; `samples` is left empty (the lines are in `bytes`).
        var header: MetricFamily
        var prometheusText: Range<Int>
        var openMetrics: Range<Int>
        /// Info and stateset: the timestamp every sample shares (`MetricSet` leaves no other
        /// case), and the lines without it for a merge whose sources do not share it, since
        /// OpenMetrics checks those timestamps across the whole family. `untimed` is the
        /// 0.0.4 range for every other family.
        var sharedTimestamp: Int64?
        var untimed: Range<Int>

        func lines(_ format: ExpositionFormat, withTimestamps: Bool) -> Range<Int> {
            guard withTimestamps else { return untimed }
            return format == .prometheusText ? prometheusText : openMetrics
        }
    }

    /// Every family's sample lines, one after another, in an array of exactly this size.
    let bytes: [UInt8]
    /// Sorted by name, as `MetricSet` sorts them.
    let families: [Family]
    /// What normalizing the families changed or dropped (see `MetricSet`).
    public let problems: [String]

    public init(_ families: [MetricFamily]) {
        self.init(MetricSet(families))
    }

    public init(_ set: MetricSet) {
        let timestamped = set.families.contains { family in family.samples.contains { $0.timestampMilliseconds != nil } }
        var encoded: [Family] = []
        // Room for up to three spellings of the lines when there are timestamps.
        let scratch = ByteWriter.render(capacity: ExpositionEncoder.worstCaseSize(of: set) * (timestamped ? 3 : 1)) { writer in
            encoded.removeAll(keepingCapacity: true)  // `render` runs the body again if it overflowed
            encoded.reserveCapacity(set.families.count)
            for family in set.families {
                encoded.append(Self.encode(family, to: &writer))
            }
        }
        // The scratch array keeps its worst-case capacity; a fleet keeps one of these per guest.
        bytes = [UInt8](unsafeUninitializedCapacity: scratch.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: scratch)
        }
        families = encoded
        problems = set.problems
    }

    private static func encode(_ family: MetricFamily, to writer: inout ByteWriter) -> Family {
        var header = family
        header.samples = []
        let start = writer.count
        ExpositionEncoder.writeSamples(family, format: .prometheusText, to: &writer)
        let text = start..<writer.count
        var encoded = Family(header: header, prometheusText: text, openMetrics: text, sharedTimestamp: nil, untimed: text)
        guard family.samples.contains(where: { $0.timestampMilliseconds != nil }) else { return encoded }

        let openMetricsStart = writer.count
        ExpositionEncoder.writeSamples(family, format: .openMetrics, to: &writer)
        encoded.openMetrics = openMetricsStart..<writer.count
        if family.type == .info || family.type == .stateset {
            encoded.sharedTimestamp = family.samples.first?.timestampMilliseconds
            var untimed = family
            untimed.samples = family.samples.map { Sample(labels: $0.labels, value: $0.value) }
            let untimedStart = writer.count
            ExpositionEncoder.writeSamples(untimed, format: .prometheusText, to: &writer)
            encoded.untimed = untimedStart..<writer.count
        }
        return encoded
    }
}
