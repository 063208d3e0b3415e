/// Encodes a normalized `MetricSet` into the chosen text format, into one pre-sized buffer.
/// `/metrics` does not call it: it merges per-guest blocks (`ExpositionMerge`) made with the
/// header and sample writers below, so both paths write the same bytes.
public enum ExpositionEncoder {
    public static func encode(_ set: MetricSet, format: ExpositionFormat) -> [UInt8] {
        ByteWriter.render(capacity: worstCaseSize(of: set)) { writer in
            for family in set.families {
                writeHeader(family, format: format, to: &writer)
                writeSamples(family, format: format, to: &writer)
            }
            if format == .openMetrics { writeEnd(to: &writer) }
        }
    }

    /// HELP, TYPE and (OpenMetrics) UNIT of `family`; its samples are not read.
    static func writeHeader(_ family: MetricFamily, format: ExpositionFormat, to writer: inout ByteWriter) {
        switch format {
        case .prometheusText: writePrometheusTextHeader(family, to: &writer)
        case .openMetrics: writeOpenMetricsHeader(family, to: &writer)
        }
    }

    /// The line OpenMetrics ends every exposition with.
    static func writeEnd(to writer: inout ByteWriter) {
        writer.write("# EOF\n")
    }

    /// 0.0.4: one HELP (only when there is help: promtool reports a missing one) and one TYPE.
    /// Counters and info carry their suffix in the family name; info and stateset are gauges.
    private static func writePrometheusTextHeader(_ family: MetricFamily, to writer: inout ByteWriter) {
        let name = family.sampleName
        if !family.help.isEmpty {
            writer.write("# HELP ")
            writer.write(name)
            writer.write(UInt8(ascii: " "))
            writer.writeEscaped(family.help, quotes: false)
            writer.write(UInt8(ascii: "\n"))
        }
        writer.write("# TYPE ")
        writer.write(name)
        switch family.type {
        case .counter: writer.write(" counter\n")
        case .gauge, .info, .stateset: writer.write(" gauge\n")
        case .unknown: writer.write(" untyped\n")
        }
    }

    /// OpenMetrics: the family name is the base name (no `_total`/`_info`), with UNIT.
    private static func writeOpenMetricsHeader(_ family: MetricFamily, to writer: inout ByteWriter) {
        if !family.help.isEmpty {
            writer.write("# HELP ")
            writer.write(family.name)
            writer.write(UInt8(ascii: " "))
            writer.writeEscaped(family.help, quotes: true)
            writer.write(UInt8(ascii: "\n"))
        }
        writer.write("# TYPE ")
        writer.write(family.name)
        writer.write(UInt8(ascii: " "))
        writer.write(family.type.rawValue)
        writer.write(UInt8(ascii: "\n"))
        if let unit = family.unit {
            writer.write("# UNIT ")
            writer.write(family.name)
            writer.write(UInt8(ascii: " "))
            writer.write(unit)
            writer.write(UInt8(ascii: "\n"))
        }
    }

    /// The sample lines of `family`. They are the same bytes in both formats unless a sample has
    /// a timestamp (milliseconds in 0.0.4, seconds in OpenMetrics).
    static func writeSamples(_ family: MetricFamily, format: ExpositionFormat, to writer: inout ByteWriter) {
        let name = Array(family.sampleName.utf8)
        // Unsafe buffers let the loop read samples and labels in place, without the retain and
        // release per element that iterating the arrays costs (the largest cost when profiled).
        name.withUnsafeBufferPointer { name in
            family.samples.withUnsafeBufferPointer { samples in
                for index in samples.indices {
                    writer.write(name)
                    writeLabels(samples[index].labels, to: &writer)
                    writer.write(UInt8(ascii: " "))
                    NumberSpelling.write(samples[index].value, to: &writer)
                    if let timestamp = samples[index].timestampMilliseconds {
                        writer.write(UInt8(ascii: " "))
                        switch format {
                        case .prometheusText: NumberSpelling.writeMilliseconds(timestamp, to: &writer)
                        case .openMetrics: NumberSpelling.writeSeconds(milliseconds: timestamp, to: &writer)
                        }
                    }
                    writer.write(UInt8(ascii: "\n"))
                }
            }
        }
    }

    @inline(__always)
    private static func writeLabels(_ labels: [Label], to writer: inout ByteWriter) {
        labels.withUnsafeBufferPointer { labels in
            guard !labels.isEmpty else { return }
            writer.write(UInt8(ascii: "{"))
            var label = labels.baseAddress!
            for index in labels.indices {
                if index > 0 { writer.write(UInt8(ascii: ",")) }
                _ = label.pointee.name.utf8.withContiguousStorageIfAvailable { writer.write($0) }
                writer.write(UInt8(ascii: "="))
                writer.write(UInt8(ascii: "\""))
                writer.writeEscaped(label.pointee.value, quotes: true)
                writer.write(UInt8(ascii: "\""))
                label += 1
            }
            writer.write(UInt8(ascii: "}"))
        }
    }

    /// The most bytes either format can need: every escapable byte doubled, the longest number
    /// and timestamp spellings. `utf8.count` is O(1) for native strings, so this is cheap, and
    /// untouched capacity of a large array is never paged in.
    static func worstCaseSize(of set: MetricSet) -> Int {
        var size = 16
        for family in set.families {
            size += worstCaseHeaderSize(of: family) + worstCaseSamplesSize(of: family)
        }
        return size
    }

    static func worstCaseHeaderSize(of family: MetricFamily) -> Int {
        let nameSize = family.name.utf8.count + 8  // room for `_total` / `_info`
        return 64 + 3 * nameSize + 2 * family.help.utf8.count + (family.unit?.utf8.count ?? 0)
    }

    static func worstCaseSamplesSize(of family: MetricFamily) -> Int {
        let lineSize = family.name.utf8.count + 8 + 64  // braces, value (<= 24 bytes), timestamp (<= 21), separators
        var size = 0
        for sample in family.samples {
            size += lineSize
            for label in sample.labels {
                size += label.name.utf8.count + 2 * label.value.utf8.count + 4
            }
        }
        return size
    }
}
