/// Sample values and timestamps as both formats spell them: `+Inf`, `-Inf`, `NaN`, integral
/// values without a point or exponent, other values as a decimal that reads back to the same
/// `Double` (shortest form from the standard library when no short decimal fits).
enum NumberSpelling {
    /// Integral doubles below this magnitude convert to Int64 exactly.
    private static let integerLimit = 9_223_372_036_854_775_808.0
    /// Below this magnitude, a value with at most six decimals is written from integer digits;
    /// the limit keeps value * 10^6 well inside Double's 53-bit exact integers.
    private static let shortDecimalLimit = 2_147_483_648.0
    private static let shortDecimalScale = 1_000_000.0

    static func write(_ value: Double, to writer: inout ByteWriter) {
        if value.isNaN { return writer.write("NaN") }
        if value.isInfinite { return writer.write(value > 0 ? "+Inf" : "-Inf") }
        if value == value.rounded(.towardZero), value >= -integerLimit, value < integerLimit {
            let integer = Int64(value)
            if integer < 0 { writer.write(UInt8(ascii: "-")) }
            return writer.writeDigits(integer.magnitude)
        }
        if abs(value) < shortDecimalLimit, writeShortDecimal(value, to: &writer) { return }
        writer.write(value.description)
    }

    /// OpenMetrics timestamps are seconds: milliseconds become `seconds[.fraction]`.
    static func writeSeconds(milliseconds: Int64, to writer: inout ByteWriter) {
        if milliseconds < 0 { writer.write(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        writer.writeDigits(magnitude / 1000)
        writeFraction(magnitude % 1000, digits: 3, to: &writer)
    }

    /// 0.0.4 timestamps are integer milliseconds.
    static func writeMilliseconds(_ milliseconds: Int64, to writer: inout ByteWriter) {
        if milliseconds < 0 { writer.write(UInt8(ascii: "-")) }
        writer.writeDigits(milliseconds.magnitude)
    }

    /// Values like 12.5 or 0.001 (counters of seconds made from milliseconds) without the cost
    /// of the general shortest-digits algorithm. Used only when the written decimal provably
    /// reads back as `value`: the division below is correctly rounded, as parsing is.
    private static func writeShortDecimal(_ value: Double, to writer: inout ByteWriter) -> Bool {
        let scaled = (abs(value) * shortDecimalScale).rounded()
        guard scaled / shortDecimalScale == abs(value) else { return false }
        let micros = UInt64(scaled)
        if value < 0 { writer.write(UInt8(ascii: "-")) }
        writer.writeDigits(micros / 1_000_000)
        writeFraction(micros % 1_000_000, digits: 6, to: &writer)
        return true
    }

    /// `.ddd` with trailing zeros removed; nothing for a zero fraction.
    private static func writeFraction(_ fraction: UInt64, digits: Int, to writer: inout ByteWriter) {
        guard fraction > 0 else { return }
        var fraction = fraction
        var digits = digits
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        writer.write(UInt8(ascii: "."))
        writer.writeDigits(fraction, minimumDigits: digits)
    }
}
