/// Metric and label name syntax of the classic (legacy) Prometheus name scheme, which both
/// formats and every parser accept: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names
/// `[a-zA-Z_][a-zA-Z0-9_]*`, and label names starting with `__` reserved for Prometheus itself.
enum NameRules {
    static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false) && !isReservedLabelName(name)
    }

    static func isReservedLabelName(_ name: String) -> Bool {
        name.utf8.starts(with: "__".utf8)
    }

    /// Replaces every character outside the allowed set with `_` and prefixes `_` to a leading
    /// digit, as the Prometheus client libraries do. Returns nil when nothing usable remains.
    static func sanitizedMetricName(_ name: String) -> String? {
        sanitized(name, allowColon: true)
    }

    /// Like `sanitizedMetricName`, and a label name that is reserved after sanitizing gives nil:
    /// renaming it could collide with a label the caller meant, so the label is dropped instead.
    static func sanitizedLabelName(_ name: String) -> String? {
        guard let result = sanitized(name, allowColon: false), !isReservedLabelName(result) else { return nil }
        return result
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        var first = true
        for byte in name.utf8 {
            if !isAllowed(byte, first: first, allowColon: allowColon) { return false }
            first = false
        }
        return !first
    }

    private static func sanitized(_ name: String, allowColon: Bool) -> String? {
        guard !name.isEmpty else { return nil }
        var bytes: [UInt8] = []
        for scalar in name.unicodeScalars {
            // One `_` per invalid character, whatever its UTF-8 length.
            let byte = scalar.isASCII ? UInt8(scalar.value) : 0
            bytes.append(byte != 0 && isAllowed(byte, first: false, allowColon: allowColon) ? byte : UInt8(ascii: "_"))
        }
        if let first = bytes.first, isDigit(first) { bytes.insert(UInt8(ascii: "_"), at: 0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    private static func isAllowed(_ byte: UInt8, first: Bool, allowColon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        case UInt8(ascii: ":"): allowColon
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        default: false
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
