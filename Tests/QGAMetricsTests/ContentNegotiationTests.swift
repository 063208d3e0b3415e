import Testing
import QGAMetrics

@Suite struct ContentNegotiationTests {
    static let prometheus3 =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
        + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;"
        + "q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
    static let prometheus2 =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    @Test(arguments: [
        (prometheus3, ExpositionFormat.openMetrics),
        (prometheus2, .openMetrics),
        ("text/plain;version=0.0.4;q=0.3,*/*;q=0.2", .prometheusText),
        ("application/openmetrics-text", .openMetrics),
        ("Application/OpenMetrics-Text; Version=\"1.0.0\"", .openMetrics),
        ("text/plain", .prometheusText),
        ("application/openmetrics-text;q=0,text/plain;q=0.1", .prometheusText),
        ("application/openmetrics-text;version=1.0.0;q=0.2,text/plain;version=0.0.4;q=0.3", .prometheusText),
        ("application/openmetrics-text;version=2.0.0", .prometheusText),
        ("text/plain;version=1.0.0;escaping=allow-utf-8,application/openmetrics-text;q=0.1", .openMetrics),
        ("*/*", .prometheusText),
        ("text/plain;q=0, */*", .openMetrics),
        ("application/*", .openMetrics),
        ("text/*;q=0.9, application/*;q=0.8", .prometheusText),
        ("text/plain, application/openmetrics-text", .prometheusText),
        ("application/json", .prometheusText),
        ("application/openmetrics-text;q=abc", .prometheusText),
        ("application/openmetrics-text;q=1.5", .prometheusText),
        (";;;,,=q,", .prometheusText),
        ("", .prometheusText),
    ])
    func format(accept: String, expected: ExpositionFormat) {
        #expect(ContentNegotiation.format(accept: accept) == expected)
    }

    @Test func missingAcceptMeansPrometheusText() {
        #expect(ContentNegotiation.format(accept: nil) == .prometheusText)
    }

    @Test(arguments: [
        ("gzip", ContentEncoding?.some(.gzip)),
        ("gzip, deflate, br", .gzip),
        ("GZIP", .gzip),
        ("x-gzip", .gzip),
        ("*", .gzip),
        ("identity;q=0.5, gzip;q=0.5", .gzip),
        ("gzip;q=0", .identity),
        ("gzip;q=0.5, identity", .identity),
        ("deflate", .identity),
        ("gzip;q=2", .identity),
        ("", .identity),
        ("identity;q=0", nil),
        ("gzip;q=0, identity;q=0", nil),
        ("*;q=0", nil),
        ("*;q=0, identity", .identity),
        ("*;q=0, gzip;q=0.1", .gzip),
        ("deflate, identity;q=0", nil),
    ])
    func encoding(header: String, expected: ContentEncoding?) {
        #expect(ContentNegotiation.encoding(acceptEncoding: header) == expected)
    }

    @Test func missingAcceptEncodingMeansIdentity() {
        #expect(ContentNegotiation.encoding(acceptEncoding: nil) == .identity)
    }

    @Test func contentTypes() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }
}
