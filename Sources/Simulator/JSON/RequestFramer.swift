/// Cuts qemu-ga's input byte stream into JSON texts the way qemu's json-streamer does: no
/// delimiter is needed between requests, a value ends when its braces balance, and a byte that
/// can never occur in JSON (0xFF is the conventional one) is a lexical error that throws away
/// any half-read request. That reset is what `guest-sync-delimited` relies on.
struct RequestFramer {
    enum Output: Equatable {
        /// A complete JSON text, still to be parsed.
        case text([UInt8])
        /// A syntax error, worded as after "JSON parse error, ".
        case error(String)
    }

    /// qemu refuses texts beyond 64 MiB (`MAX_TOKEN_SIZE`).
    var maxTextSize = 64 << 20

    private var buffer: [UInt8] = []
    private var depth = 0
    private var quote: UInt8?
    private var escaped = false
    /// Where the lexical token being read (string, number, keyword) starts in `buffer`, so a
    /// stray byte inside it is reported with the token, as qemu does (`stray '"guest-pi\uFFFD'`).
    private var tokenStart: Int?

    /// Whether a request has been partly received (used by tests and by fault modes).
    var hasPartialText: Bool { !buffer.isEmpty }

    mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        depth = 0
        quote = nil
        escaped = false
        tokenStart = nil
    }

    mutating func feed(_ bytes: some Sequence<UInt8>, into outputs: inout [Output]) {
        for byte in bytes { feed(byte, into: &outputs) }
    }

    private mutating func feed(_ byte: UInt8, into outputs: inout [Output]) {
        if Self.neverValid(byte) || (quote == nil && byte >= 0x80) {
            var token = tokenStart.map { String(decoding: buffer[$0...], as: UTF8.self) } ?? ""
            token.append("\u{FFFD}")
            reset()
            outputs.append(.error("stray '\(token)'"))
            return
        }
        if buffer.count >= maxTextSize {
            reset()
            outputs.append(.error("JSON token size limit exceeded"))
            return
        }
        if let open = quote {
            buffer.append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == open {
                quote = nil
                tokenStart = nil
                if depth == 0 { finishText(into: &outputs) }
            }
            return
        }
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D:
            tokenStart = nil
            if depth == 0 { finishText(into: &outputs) } else { buffer.append(byte) }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if depth == 0 { finishText(into: &outputs) }
            tokenStart = nil
            depth += 1
            buffer.append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            tokenStart = nil
            if depth == 0 {
                finishText(into: &outputs)
                outputs.append(.text([byte]))
                return
            }
            depth -= 1
            buffer.append(byte)
            if depth == 0 { finishText(into: &outputs) }
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            if depth == 0 { finishText(into: &outputs) }
            quote = byte
            tokenStart = buffer.count
            buffer.append(byte)
        case UInt8(ascii: ","), UInt8(ascii: ":"):
            tokenStart = nil
            buffer.append(byte)
        default:
            if tokenStart == nil { tokenStart = buffer.count }
            buffer.append(byte)
        }
    }

    /// Hands over what has been collected at the top level, if anything.
    private mutating func finishText(into outputs: inout [Output]) {
        guard !buffer.isEmpty else { return }
        outputs.append(.text(buffer))
        reset()
    }

    /// Bytes that cannot start or continue UTF-8, so qemu's lexer rejects them even in strings.
    private static func neverValid(_ byte: UInt8) -> Bool {
        byte == 0xC0 || byte == 0xC1 || byte >= 0xF5
    }
}
