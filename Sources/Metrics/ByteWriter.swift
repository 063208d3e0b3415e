/// Writes exposition text straight into the storage of the result array: no per-sample
/// `String` building and no growth copies. Every write is bounds-checked; if the capacity
/// turns out too small (it is a worst-case bound, so only a bug could cause that), the text is
/// rendered again with twice the room rather than ever writing out of bounds or crashing.
struct ByteWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    private init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// Runs `body` with a writer over a fresh array of `capacity` bytes and returns what it wrote.
    static func render(capacity: Int, _ body: (inout ByteWriter) -> Void) -> [UInt8] {
        var capacity = max(capacity, 64)
        while true {
            var overflowed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var writer = ByteWriter(base: buffer.baseAddress!, capacity: buffer.count)
                body(&writer)
                initialized = writer.count
                overflowed = writer.overflowed
            }
            if !overflowed { return bytes }
            capacity *= 2
        }
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        guard count < capacity else { return overflow() }
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func write(_ raw: UnsafeBufferPointer<UInt8>) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        guard raw.count <= capacity &- count else { return overflow() }
        (base + count).update(from: source, count: raw.count)
        count &+= raw.count
    }

    @inline(__always)
    mutating func write(_ raw: [UInt8]) {
        raw.withUnsafeBufferPointer { write($0) }
    }

    @inline(__always)
    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { write($0) }
    }

    @inline(__always)
    mutating func write(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ write($0) }) == nil {
            for byte in text.utf8 { write(byte) }
        }
    }

    /// Label values (both formats) and OpenMetrics HELP escape `\`, `"` and newline;
    /// 0.0.4 HELP escapes only `\` and newline.
    @inline(__always)
    mutating func writeEscaped(_ text: String, quotes: Bool) {
        if text.utf8.withContiguousStorageIfAvailable({ writeEscaped($0, quotes: quotes) }) == nil {
            writeEscaped(Array(text.utf8), quotes: quotes)
        }
    }

    private mutating func writeEscaped(_ utf8: [UInt8], quotes: Bool) {
        utf8.withUnsafeBufferPointer { writeEscaped($0, quotes: quotes) }
    }

    @inline(__always)
    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, quotes: Bool) {
        var clean = true
        for byte in utf8 where byte == 0x5C || byte == 0x0A || (quotes && byte == 0x22) {
            clean = false
            break
        }
        if clean { return write(utf8) }
        writeEscapedSlowly(utf8, quotes: quotes)
    }

    private mutating func writeEscapedSlowly(_ utf8: UnsafeBufferPointer<UInt8>, quotes: Bool) {
        for byte in utf8 {
            switch byte {
            case 0x5C: write(0x5C); write(0x5C)
            case 0x0A: write(0x5C); write(UInt8(ascii: "n"))
            case 0x22 where quotes: write(0x5C); write(0x22)
            default: write(byte)
            }
        }
    }

    /// The decimal digits of `magnitude`, left-padded with zeros to `minimumDigits`.
    mutating func writeDigits(_ magnitude: UInt64, minimumDigits: Int = 1) {
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            digits &+= 1
            rest /= 10
        }
        digits = max(digits, minimumDigits)
        guard digits <= capacity &- count else { return overflow() }
        var value = magnitude
        var index = count &+ digits &- 1
        while index >= count {
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
            value /= 10
            index &-= 1
        }
        count &+= digits
    }

    private mutating func overflow() {
        overflowed = true
        count = capacity
    }
}
