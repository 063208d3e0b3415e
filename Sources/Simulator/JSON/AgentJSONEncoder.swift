import Foundation

/// Serialises values exactly as qemu-ga 7.2 does (`qobject_to_json`): `": "` and `", "`
/// separators, members in QDict order, non-ASCII and control characters as upper-case `\uXXXX`
/// escapes (surrogate pairs beyond the BMP), doubles as `%.17g`.
public enum AgentJSONEncoder {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        append(value, to: &out)
        return out
    }

    public static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let bool): out.append(contentsOf: (bool ? "true" : "false").utf8)
        case .int(let int): appendInteger(int, to: &out)
        case .uint(let uint): appendInteger(uint, to: &out)
        case .double(let double): out.append(contentsOf: formatDouble(double).utf8)
        case .string(let string): appendString(string, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(contentsOf: separator) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let members = object.members
            for (position, index) in QDictOrder.wireOrder(of: members.map(\.key)).enumerated() {
                if position > 0 { out.append(contentsOf: separator) }
                appendString(members[index].key, to: &out)
                out.append(contentsOf: colon)
                append(members[index].value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let separator: [UInt8] = Array(", ".utf8)
    private static let colon: [UInt8] = Array(": ".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func appendInteger<T: BinaryInteger>(_ value: T, to out: inout [UInt8]) {
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var remaining = value.magnitude
        while remaining > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        }
        out.append(contentsOf: digits.reversed())
    }

    /// `%.17g`, which is what qemu's `qnum_to_string` prints (`0.1` comes back as
    /// `0.10000000000000001`, `1.5e3` as `1500`).
    static func formatDouble(_ value: Double) -> String {
        String(format: "%.17g", value)
    }

    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: [0x5C, 0x22])
            case "\\": out.append(contentsOf: [0x5C, 0x5C])
            case "\u{08}": out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case "\u{0C}": out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case "\n": out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case "\r": out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case "\t": out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                let code = scalar.value
                if code > 0xFFFF {
                    let offset = code - 0x10000
                    appendEscape(0xD800 + (offset >> 10), to: &out)
                    appendEscape(0xDC00 + (offset & 0x3FF), to: &out)
                } else if code < 0x20 || code >= 0x7F {
                    appendEscape(code, to: &out)
                } else {
                    out.append(UInt8(code))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ code: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((code >> UInt32(shift)) & 0xF)])
        }
    }
}
