/// The two text formats we serve.
public enum ExpositionFormat: Sendable, Hashable, CaseIterable {
    /// Prometheus text format 0.0.4, understood by every Prometheus version.
    case prometheusText
    /// OpenMetrics 1.0, preferred by Prometheus 2.x and 3.x when offered.
    case openMetrics

    /// The exact `Content-Type` header value; Prometheus 3 fails a scrape without a valid one.
    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }
}

/// The `Content-Encoding` of a response body.
public enum ContentEncoding: String, Sendable {
    case identity, gzip
}
