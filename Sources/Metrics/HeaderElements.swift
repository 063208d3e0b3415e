/// Splits `Accept`-style header values (RFC 9110 section 12.4.2) into elements with parameters
/// and a quality value. Lenient: malformed elements are skipped, never fatal.
struct HeaderElement: Equatable {
    /// Lowercased media range or content coding, e.g. `text/plain` or `gzip`.
    var value: String
    /// Parameters other than `q`, names lowercased, values unquoted.
    var parameters: [String: String]
    var quality: Double
    /// Index in the header, for stable tie-breaking.
    var position: Int

    static func parse(_ header: String) -> [HeaderElement] {
        var elements: [HeaderElement] = []
        for (position, item) in splitOutsideQuotes(header, separator: ",").enumerated() {
            let parts = splitOutsideQuotes(item, separator: ";")
            let value = trimmed(parts[0]).lowercased()
            guard !value.isEmpty else { continue }
            var parameters: [String: String] = [:]
            var quality = 1.0
            var valid = true
            for parameter in parts.dropFirst() {
                guard let equals = parameter.firstIndex(of: "=") else { continue }
                let name = trimmed(parameter[..<equals]).lowercased()
                var argument = trimmed(parameter[parameter.index(after: equals)...])
                if argument.count >= 2, argument.hasPrefix("\""), argument.hasSuffix("\"") {
                    argument = String(argument.dropFirst().dropLast())
                }
                if name == "q" {
                    guard let parsed = Double(argument), parsed >= 0, parsed <= 1 else {
                        valid = false
                        break
                    }
                    quality = parsed
                } else {
                    parameters[name] = argument
                }
            }
            if valid {
                elements.append(HeaderElement(value: value, parameters: parameters, quality: quality, position: position))
            }
        }
        return elements
    }

    private static func splitOutsideQuotes(_ text: some StringProtocol, separator: Character) -> [Substring] {
        var parts: [Substring] = []
        let text = Substring(text)
        var start = text.startIndex
        var inQuotes = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" {
                inQuotes.toggle()
            } else if character == separator, !inQuotes {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }

    private static func trimmed(_ text: some StringProtocol) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
            let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
