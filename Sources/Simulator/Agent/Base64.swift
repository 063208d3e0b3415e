/// Base64 as glib's `g_base64_encode`/`g_base64_decode` use it for `buf-b64` and exec output.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            out.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(chunk >> 6 & 63)])
            out.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(chunk & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes, or nil when a character is outside the alphabet (the agent then answers
    /// "Base64 data contains invalid characters").
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { break }
            if byte == 0x0A || byte == 0x0D || byte == 0x20 { continue }
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(accumulator >> UInt32(bits) & 0xFF))
            }
        }
        return out
    }
}
