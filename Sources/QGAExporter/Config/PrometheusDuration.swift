/// Durations spelled the way Prometheus spells them: `15s`, `1m30s`, `500ms`, `2h`, `1d`, `0`.
enum PrometheusDuration {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000),
    ]
    /// Units must appear largest first, each at most once, as in Prometheus.
    private static let order = ["y", "w", "d", "h", "m", "s", "ms"]

    static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        guard !text.isEmpty else { return nil }
        var rest = Substring(text)
        var total: Int64 = 0
        var lastRank = -1
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" must be tried before "m".
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }),
                  let rank = order.firstIndex(of: unit.suffix), rank > lastRank
            else { return nil }
            lastRank = rank
            rest = rest.dropFirst(unit.suffix.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            // Each part may fit while their sum does not (`292471208y52w`): out of range, not a trap.
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    static func format(_ duration: Duration) -> String {
        var ms = duration.milliseconds
        if ms == 0 { return "0s" }
        var text = ""
        for suffix in ["h", "m", "s", "ms"] {
            let size = units.first { $0.suffix == suffix }!.milliseconds
            if ms >= size {
                text += "\(ms / size)\(suffix)"
                ms %= size
            }
        }
        return text
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
