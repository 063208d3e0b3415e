import Hummingbird
import QGAProtocol

/// Request bodies parsed by the project's own JSON parser (QGAProtocol's `JSONParser`, which
/// every agent reply goes through too), made strict for requests.
///
/// The parser repairs what it cannot represent (bytes that are not UTF-8, a `\u` escape of half
/// a surrogate pair) with U+FFFD, because a guest's odd host name must not lose the whole reply.
/// A request is the other way round: its path or argument must reach the guest as sent or not
/// at all, so both are refused here, before and after parsing.
enum RequestJSON {
    static func parse(_ buffer: ByteBuffer, refusing refuse: (String) -> APIError) throws(APIError) -> JSONValue {
        let bytes = buffer.readableBytesView
        guard String(validating: bytes, as: UTF8.self) != nil else { throw refuse("not valid UTF-8") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw refuse("not valid JSON (\(error.reason) at byte \(error.offset))")
        }
        if let offset = loneSurrogateEscape(in: Array(bytes)) {
            throw refuse("not valid JSON (a \\u escape of half a surrogate pair at byte \(offset))")
        }
        return value
    }

    /// The offset of the first `\uD800`-`\uDFFF` escape that is not a high half directly
    /// followed by a low half, in text that is valid JSON. Bytes are scanned one by one: in
    /// UTF-8 no byte of a multi-byte character is an ASCII quote or backslash.
    static func loneSurrogateEscape(in bytes: [UInt8]) -> Int? {
        func unit(at index: Int) -> UInt32? {
            guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                  let text = String(validating: bytes[index + 2..<index + 6], as: UTF8.self) else { return nil }
            return UInt32(text, radix: 16)
        }
        var index = 0
        var inString = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                inString.toggle()
                index += 1
            case UInt8(ascii: "\\") where inString:
                guard let first = unit(at: index) else {
                    index += 2  // a one-character escape, e.g. \\ or \"
                    continue
                }
                if (0xD800..<0xDC00).contains(first), let second = unit(at: index + 6), (0xDC00..<0xE000).contains(second) {
                    index += 12
                } else if (0xD800..<0xE000).contains(first) {
                    return index
                } else {
                    index += 6
                }
            default:
                index += 1
            }
        }
        return nil
    }
}
