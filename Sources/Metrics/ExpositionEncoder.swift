/// Encodes a normalized `MetricSet` into the chosen text format, into one pre-sized buffer.
public enum ExpositionEncoder {
    public static func encode(_ set: MetricSet, format: ExpositionFormat) -> [UInt8] {
        var writer = ByteWriter(capacity: estimatedSize(of: set))
        for family in set.families {
            switch format {
            case .prometheusText: writePrometheusTextHeader(family, to: &writer)
            case .openMetrics: writeOpenMetricsHeader(family, to: &writer)
            }
            writeSamples(family, format: format, to: &writer)
        }
        if format == .openMetrics { writer.write("# EOF\n") }
        return writer.bytes
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

    private static func writeSamples(_ family: MetricFamily, format: ExpositionFormat, to writer: inout ByteWriter) {
        let name = Array(family.sampleName.utf8)
        for sample in family.samples {
            writer.write(name)
            if !sample.labels.isEmpty {
                writer.write(UInt8(ascii: "{"))
                var first = true
                for label in sample.labels {
                    if !first { writer.write(UInt8(ascii: ",")) }
                    first = false
                    writer.write(label.name)
                    writer.write(UInt8(ascii: "="))
                    writer.write(UInt8(ascii: "\""))
                    writer.writeEscaped(label.value, quotes: true)
                    writer.write(UInt8(ascii: "\""))
                }
                writer.write(UInt8(ascii: "}"))
            }
            writer.write(UInt8(ascii: " "))
            NumberSpelling.write(sample.value, to: &writer)
            if let timestamp = sample.timestampMilliseconds {
                writer.write(UInt8(ascii: " "))
                switch format {
                case .prometheusText: NumberSpelling.writeMilliseconds(timestamp, to: &writer)
                case .openMetrics: NumberSpelling.writeSeconds(milliseconds: timestamp, to: &writer)
                }
            }
            writer.write(UInt8(ascii: "\n"))
        }
    }

    /// An upper bound for text without escapes, so the buffer is allocated once.
    /// `utf8.count` is O(1) for native strings, so this costs a fraction of the encoding.
    static func estimatedSize(of set: MetricSet) -> Int {
        var size = 16
        for family in set.families {
            let nameSize = family.name.utf8.count + 8
            size += 64 + 2 * nameSize + family.help.utf8.count + (family.unit?.utf8.count ?? 0)
            for sample in family.samples {
                size += nameSize + 52  // value (<= 24), timestamp (<= 21), separators
                for label in sample.labels {
                    size += label.name.utf8.count + label.value.utf8.count + 4
                }
            }
        }
        return size
    }
}
