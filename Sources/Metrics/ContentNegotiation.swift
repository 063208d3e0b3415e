/// Chooses the format and the content coding of a `/metrics` response from the request headers.
public enum ContentNegotiation {
    /// The format the client ranks highest by q-value, 0.0.4 when the header is missing, says
    /// nothing we produce, or ties. A specific media range overrides a wildcard (RFC 9110), so
    /// `text/plain;q=0, */*` means OpenMetrics. `application/openmetrics-text` matches with
    /// version 1.0.0, 0.0.1 or none (we answer 1.0.0, which Prometheus reads either way);
    /// `text/plain` with version 0.0.4 or none (not the UTF-8 `version=1.0.0`).
    public static func format(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        let elements = HeaderElement.parse(accept)
        // 0.0.4 first: OpenMetrics must rank strictly higher to be chosen.
        let text = quality(of: .prometheusText, in: elements)
        let openMetrics = quality(of: .openMetrics, in: elements)
        return openMetrics > text ? .openMetrics : .prometheusText
    }

    /// gzip when the client accepts it at least as much as identity, identity otherwise, and
    /// nil when it accepts neither (`identity;q=0` without gzip): answer 406 then.
    /// A missing or empty header means identity only (RFC 9110 section 12.5.3).
    public static func encoding(acceptEncoding: String?) -> ContentEncoding? {
        guard let acceptEncoding else { return .identity }
        let elements = HeaderElement.parse(acceptEncoding)
        func listed(_ names: Set<String>) -> Double? {
            elements.filter { names.contains($0.value) }.map(\.quality).max()
        }
        let wildcard = listed(["*"])
        let gzip = listed(["gzip", "x-gzip"]) ?? wildcard ?? 0
        // Identity is acceptable unless excluded by name or by `*;q=0` (RFC 9110).
        let identity = listed(["identity"]) ?? wildcard.map { $0 > 0 ? 1 : 0 } ?? 1
        if gzip > 0, gzip >= identity { return .gzip }
        if identity > 0 { return .identity }
        return nil
    }

    /// The q-value the most specific matching media range gives `format`, 0 if none matches.
    private static func quality(of format: ExpositionFormat, in elements: [HeaderElement]) -> Double {
        var best: (specificity: Int, quality: Double) = (-1, 0)
        for element in elements {
            guard let specificity = specificity(of: element, for: format) else { continue }
            if specificity > best.specificity {
                best = (specificity, element.quality)
            } else if specificity == best.specificity {
                best.quality = max(best.quality, element.quality)
            }
        }
        return best.quality
    }

    /// 2 for the exact type, 1 for `type/*`, 0 for `*/*`; nil when the range does not match.
    private static func specificity(of element: HeaderElement, for format: ExpositionFormat) -> Int? {
        let version = element.parameters["version"]
        switch (format, element.value) {
        case (.openMetrics, "application/openmetrics-text"):
            return version == nil || version == "1.0.0" || version == "0.0.1" ? 2 : nil
        case (.prometheusText, "text/plain"):
            return version == nil || version == "0.0.4" ? 2 : nil
        case (.openMetrics, "application/*"), (.prometheusText, "text/*"):
            return 1
        case (_, "*/*"):
            return 0
        default:
            return nil
        }
    }
}
