import FuzzSupport
import QGAMetrics

/// Properties the negotiation must have whatever the header says. The answer is a function of
/// the set of elements and their q-values, so it must not change when the elements are
/// reordered, when ASCII letters change case (media types, codings and parameter names are
/// case-insensitive), or when an element we do not produce is added.
enum NegotiationCheck {
    static func format(_ accept: String) {
        let chosen = ContentNegotiation.format(accept: accept)
        for variant in variants(of: accept, unknown: "image/png;q=1") {
            let other = ContentNegotiation.format(accept: variant)
            require(other == chosen, "Accept \(accept.debugDescription) gives \(chosen), \(variant.debugDescription) gives \(other)")
        }
    }

    static func encoding(_ acceptEncoding: String) {
        let chosen = ContentNegotiation.encoding(acceptEncoding: acceptEncoding)
        for variant in variants(of: acceptEncoding, unknown: "br;q=1") {
            let other = ContentNegotiation.encoding(acceptEncoding: variant)
            require(other == chosen, "Accept-Encoding \(acceptEncoding.debugDescription) gives \(String(describing: chosen)), \(variant.debugDescription) gives \(String(describing: other))")
        }
    }

    /// Headers that must negotiate the same as `header`. Only for plain ASCII without quotes:
    /// a quoted string may hold commas, and splitting non-ASCII text here and in the parser
    /// (by Character) could differ, which would test this harness rather than the parser.
    private static func variants(of header: String, unknown: String) -> [String] {
        guard header.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\"") }) else {
            return [asciiUppercased(header)]
        }
        let elements = header.split(separator: ",", omittingEmptySubsequences: false)
        return [
            asciiUppercased(header),
            elements.reversed().joined(separator: ","),
            header + ", " + unknown,
            unknown + " ," + header,
        ]
    }

    private static func asciiUppercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
