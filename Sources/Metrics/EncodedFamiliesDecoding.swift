extension EncodedFamilies {
    /// The families back from their encoded lines, exactly as `MetricSet` left them (values are
    /// spelled so they read back to the same `Double`). For the few readers of one source's
    /// values (`/probe`, the APIs): a fleet's store then keeps every sample once, as text,
    /// rather than also as values.
    public func decodedFamilies() -> [MetricFamily] {
        bytes.withUnsafeBufferPointer { bytes in
            families.map { encoded in
                var family = encoded.header
                var reader = LineReader(bytes, encoded.prometheusText)
                while !reader.isAtEnd {
                    family.samples.append(reader.sample(nameLength: family.sampleName.utf8.count))
                }
                return family
            }
        }
    }
}

/// Reads back the sample lines `ExpositionEncoder.writeSamples` wrote in the 0.0.4 spelling:
/// `name{label="value",...} value [milliseconds]\n`, label values escaped (`\\`, `\"`, `\n`).
/// It trusts its input, which only our encoder produced.
private struct LineReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    mutating func sample(nameLength: Int) -> Sample {
        position += nameLength
        var labels: [Label] = []
        if bytes[position] == UInt8(ascii: "{") {
            position += 1
            while bytes[position] != UInt8(ascii: "}") {
                if bytes[position] == UInt8(ascii: ",") { position += 1 }
                let name = token(until: UInt8(ascii: "="))
                position += 2  // `="`
                labels.append(Label(name: name, value: quotedValue()))
            }
            position += 1
        }
        position += 1  // the space before the value
        let value = Self.number(token(untilAny: UInt8(ascii: " "), UInt8(ascii: "\n")))
        var timestamp: Int64?
        if bytes[position] == UInt8(ascii: " ") {
            position += 1
            timestamp = Int64(token(until: UInt8(ascii: "\n")))
        }
        position += 1  // the newline
        return Sample(labels: labels, value: value, timestampMilliseconds: timestamp)
    }

    private mutating func token(until stop: UInt8) -> String {
        token(untilAny: stop, stop)
    }

    private mutating func token(untilAny first: UInt8, _ second: UInt8) -> String {
        let start = position
        while bytes[position] != first && bytes[position] != second { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A label value up to its closing quote, which it consumes, with the escapes undone.
    private mutating func quotedValue() -> String {
        var utf8: [UInt8] = []
        while bytes[position] != UInt8(ascii: "\"") {
            if bytes[position] == UInt8(ascii: "\\") {
                position += 1
                utf8.append(bytes[position] == UInt8(ascii: "n") ? UInt8(ascii: "\n") : bytes[position])
            } else {
                utf8.append(bytes[position])
            }
            position += 1
        }
        position += 1
        return String(decoding: utf8, as: UTF8.self)
    }

    /// `NumberSpelling`'s spellings back to the value.
    private static func number(_ text: String) -> Double {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text) ?? .nan
        }
    }
}
