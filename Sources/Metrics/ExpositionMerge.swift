import NIOCore

/// One exposition made of many sources' encoded families (guests in name order, then the
/// exporter's own) by copying their bytes: no sorting, validating or encoding of samples.
///
/// For each family name in sorted order: its header once, in the format asked for, then the
/// lines of that family from every source, in source order. Series of a family are therefore
/// ordered source by source; both formats leave series order free, and families never
/// interleave. The family rules of `MetricSet` hold across sources: a name's first type wins
/// and other types are dropped, help and unit come from the first source that has them, a
/// family whose OpenMetrics names clash with an earlier one's is dropped, and info and stateset
/// timestamps are dropped unless every source has the same one.
///
/// Series are not compared across sources: each source's are unique (`MetricSet`), and the
/// sources must not share any (every guest's series carry its own `guest` label; the
/// exporter's carry none).
public struct ExpositionMerge: Sendable {
    private struct Part {
        var source: Int
        var family: Int
    }

    private struct Family {
        var header: MetricFamily
        var parts: [Part]
        var withTimestamps = true
    }

    private let sources: [EncodedFamilies]
    /// Sorted by name.
    private let families: [Family]
    /// The sources' problems, then what merging them dropped.
    public let problems: [String]

    public init(_ sources: [EncodedFamilies]) {
        var problems: [String] = []
        var merged: [Family] = []
        var indexByName: [String: Int] = [:]
        for (sourceIndex, source) in sources.enumerated() {
            problems += source.problems
            for (familyIndex, family) in source.families.enumerated() {
                let part = Part(source: sourceIndex, family: familyIndex)
                guard let index = indexByName[family.header.name] else {
                    indexByName[family.header.name] = merged.count
                    merged.append(Family(header: family.header, parts: [part]))
                    continue
                }
                guard FamilyMergeRules.join(family.header, into: &merged[index].header, problems: &problems) else { continue }
                merged[index].parts.append(part)
            }
        }

        var claims = FamilyMergeRules.NameClaims()
        var kept: [Family] = []
        kept.reserveCapacity(merged.count)
        for var family in merged where claims.claim(family.header, problems: &problems) {
            if family.header.type == .info || family.header.type == .stateset {
                let first = family.parts[0]
                let timestamp = sources[first.source].families[first.family].sharedTimestamp
                family.withTimestamps = family.parts.allSatisfy {
                    sources[$0.source].families[$0.family].sharedTimestamp == timestamp
                }
                if !family.withTimestamps {
                    problems.append("\(family.header.name): timestamps dropped, they differ within the \(family.header.type.rawValue)")
                }
            }
            kept.append(family)
        }
        kept.sort { $0.header.name < $1.header.name }

        self.sources = sources
        self.families = kept
        self.problems = problems
    }

    /// The whole exposition in `format`, written into one buffer of exactly its size.
    public func body(_ format: ExpositionFormat) -> ByteBuffer {
        let layout = layout(format)
        var buffer = ByteBufferAllocator().buffer(capacity: layout.size)
        guard layout.size > 0 else { return buffer }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: layout.size) { output in
            var offset = 0
            forEachPiece(of: layout, format) { piece in
                UnsafeMutableRawBufferPointer(rebasing: output[offset...]).copyMemory(from: piece)
                offset += piece.count
            }
            return offset
        }
        return buffer
    }

    /// The exposition in `format`, gzipped as it is written: the plain text never exists whole.
    public func gzipBody(_ format: ExpositionFormat) -> ByteBuffer {
        let layout = layout(format)
        let compressed = try? GzipStream.compress(expectedSize: layout.size) { stream in
            try forEachPiece(of: layout, format) { try stream.write($0) }
        }
        return compressed ?? Gzip.body(of: body(format))
    }

    /// The family headers in `format`, the closing line, and the size of the whole text.
    private struct Layout {
        var headers: [[UInt8]]
        var end: [UInt8]
        var size: Int
    }

    private func layout(_ format: ExpositionFormat) -> Layout {
        let headers = families.map { family in
            ByteWriter.render(capacity: ExpositionEncoder.worstCaseHeaderSize(of: family.header)) { writer in
                ExpositionEncoder.writeHeader(family.header, format: format, to: &writer)
            }
        }
        let end = format == .openMetrics ? ByteWriter.render(capacity: 16) { ExpositionEncoder.writeEnd(to: &$0) } : []
        var size = end.count
        for (family, header) in zip(families, headers) {
            size += header.count
            for part in family.parts { size += lines(of: part, in: family, format).count }
        }
        return Layout(headers: headers, end: end, size: size)
    }

    /// Hands over the exposition in order, piece by piece: a header, then every source's lines
    /// of that family, ..., then the closing line.
    private func forEachPiece(of layout: Layout, _ format: ExpositionFormat,
                              _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for (family, header) in zip(families, layout.headers) {
            try header.withUnsafeBytes(body)
            for part in family.parts {
                let range = lines(of: part, in: family, format)
                try sources[part.source].bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
            }
        }
        try layout.end.withUnsafeBytes(body)
    }

    private func lines(of part: Part, in family: Family, _ format: ExpositionFormat) -> Range<Int> {
        sources[part.source].families[part.family].lines(format, withTimestamps: family.withTimestamps)
    }
}
