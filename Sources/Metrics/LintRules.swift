/// The individual promlint rules, applied to one family as exposed in 0.0.4.
enum LintRules {
    static func problems(of family: ExposedFamily) -> [String] {
        var problems: [String] = []
        if !family.hasHelp { problems.append("no help text") }
        if let (unit, base) = unitInName(family.name), unit != base {
            problems.append("use base unit \"\(base)\" instead of \"\(unit)\"")
        }
        problems += counterProblems(family)
        problems += reservedNameProblems(family)
        problems += typeInNameProblems(family.name)
        if family.name.contains(":") { problems.append("metric names should not contain ':'") }
        if isCamelCase(family.name) {
            problems.append("metric names should be written in 'snake_case' not 'camelCase'")
        }
        if family.labelNames.contains(where: isCamelCase) {
            problems.append("label names should be written in 'snake_case' not 'camelCase'")
        }
        if containsWord(family.name.lowercased(), among: unitAbbreviations) {
            problems.append("metric names should not contain abbreviated units")
        }
        return problems
    }

    private static func counterProblems(_ family: ExposedFamily) -> [String] {
        let hasTotal = family.name.hasSuffix("_total")
        switch family.kind {
        case .counter: return hasTotal ? [] : ["counter metrics should have \"_total\" suffix"]
        case .gauge, .histogram, .summary: return hasTotal ? ["non-counter metrics should not have \"_total\" suffix"] : []
        case .untyped: return []
        }
    }

    private static func reservedNameProblems(_ family: ExposedFamily) -> [String] {
        guard family.kind != .untyped else { return [] }
        let histogram = family.kind == .histogram, summary = family.kind == .summary
        var problems: [String] = []
        if !histogram, family.name.hasSuffix("_bucket") {
            problems.append("non-histogram metrics should not have \"_bucket\" suffix")
        }
        if !histogram, !summary, family.name.hasSuffix("_count") {
            problems.append("non-histogram and non-summary metrics should not have \"_count\" suffix")
        }
        if !histogram, !summary, family.name.hasSuffix("_sum") {
            problems.append("non-histogram and non-summary metrics should not have \"_sum\" suffix")
        }
        if !histogram, family.labelNames.contains("le") {
            problems.append("non-histogram metrics should not have \"le\" label")
        }
        if !summary, family.labelNames.contains("quantile") {
            problems.append("non-summary metrics should not have \"quantile\" label")
        }
        return problems
    }

    private static func typeInNameProblems(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return ["counter", "gauge", "histogram", "summary", "gauge_histogram"]
            .filter { containsWord(lowered, among: [$0]) }
            .map { "metric name should not include type '\($0)'" }
    }

    /// True when `name` has `_word_` inside or ends with `_word`, for any of `words`.
    private static func containsWord(_ name: String, among words: [String]) -> Bool {
        words.contains { name.contains("_\($0)_") || name.hasSuffix("_\($0)") }
    }

    /// promlint's `[a-z][A-Z]`.
    static func isCamelCase(_ name: String) -> Bool {
        var previousLower = false
        for byte in name.utf8 {
            if previousLower, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { return true }
            previousLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
        }
        return false
    }

    /// The first `_`-separated word of `name` that is a known unit with an optional SI prefix,
    /// and the base unit promlint wants instead.
    static func unitInName(_ name: String) -> (unit: String, base: String)? {
        for word in name.split(separator: "_") {
            for prefix in unitPrefixes + [""] where word.hasPrefix(prefix) {
                if let base = units[String(word.dropFirst(prefix.count))] { return (String(word), base) }
            }
        }
        return nil
    }

    private static let units: [String: String] = [
        "amperes": "amperes", "bytes": "bytes", "celsius": "celsius", "grams": "grams",
        "joules": "joules", "kelvin": "kelvin", "meters": "meters", "metres": "metres",
        "seconds": "seconds", "volts": "volts",
        "minutes": "seconds", "hours": "seconds", "days": "seconds", "weeks": "seconds",
        "kelvins": "kelvin", "fahrenheit": "celsius", "rankine": "celsius",
        "inches": "meters", "yards": "meters", "miles": "meters",
        "bits": "bytes", "calories": "joules", "pounds": "grams", "ounces": "grams",
    ]

    private static let unitPrefixes = [
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
        "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
    ]

    private static let unitAbbreviations = [
        "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d",
    ]
}
