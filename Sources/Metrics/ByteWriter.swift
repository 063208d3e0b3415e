/// Appends exposition text to one growing byte array: no per-sample `String` building.
struct ByteWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        bytes.append(byte)
    }

    @inline(__always)
    mutating func write(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    @inline(__always)
    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Label values (both formats) and OpenMetrics HELP escape `\`, `"` and newline;
    /// 0.0.4 HELP escapes only `\` and newline.
    mutating func writeEscaped(_ text: String, quotes: Bool) {
        var text = text
        text.withUTF8 { utf8 in
            var needsEscaping = false
            for byte in utf8 where byte == 0x5C || byte == 0x0A || (quotes && byte == 0x22) {
                needsEscaping = true
                break
            }
            guard needsEscaping else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
                case 0x22 where quotes: bytes.append(0x5C); bytes.append(0x22)
                default: bytes.append(byte)
                }
            }
        }
    }

    /// Writes the decimal digits of `magnitude`, in place, without a temporary string.
    mutating func writeDigits(_ magnitude: UInt64, minimumDigits: Int = 1) {
        var count = 1
        var rest = magnitude / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        count = max(count, minimumDigits)
        let end = bytes.count + count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var value = magnitude
            var index = end - 1
            while value > 0 {
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                value /= 10
                index -= 1
            }
        }
    }
}
