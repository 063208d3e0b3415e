import ArgumentParser

/// `--web.max-connections`, `--web.read-timeout`, ...: the HTTP server's limits (see `WebLimits`).
struct WebLimitFlags: ParsableArguments {
    @Option(name: .customLong("web.max-connections"),
            help: "Open HTTP connections at most; more wait until one closes. (default: \(WebLimits().maxConnections))")
    var maxConnections: Int?

    @Option(name: .customLong("web.read-timeout"),
            help: "Time a client has to send a whole request, from connect or the previous response; also the keep-alive idle limit. (default: 10s)")
    var readTimeout: String?

    @Option(name: .customLong("web.write-timeout"),
            help: "Time a response may take to be written to the client. (default: 10s)")
    var writeTimeout: String?

    @Option(name: .customLong("web.max-header-bytes"),
            help: "Largest request line plus headers, in bytes. (default: \(WebLimits().maxHeaderBytes))")
    var maxHeaderBytes: Int?

    @Option(name: .customLong("web.max-request-body-bytes"),
            help: "Largest request body, in bytes; a larger one closes the connection. (default: \(WebLimits().maxRequestBodyBytes))")
    var maxRequestBodyBytes: Int?

    func limits() throws -> WebLimits {
        var limits = WebLimits()
        if let maxConnections { limits.maxConnections = try Self.positive(maxConnections, "--web.max-connections") }
        if let readTimeout { limits.readTimeout = try Self.duration(readTimeout, "--web.read-timeout") }
        if let writeTimeout { limits.writeTimeout = try Self.duration(writeTimeout, "--web.write-timeout") }
        if let maxHeaderBytes { limits.maxHeaderBytes = try Self.positive(maxHeaderBytes, "--web.max-header-bytes") }
        if let maxRequestBodyBytes {
            limits.maxRequestBodyBytes = try Self.positive(maxRequestBodyBytes, "--web.max-request-body-bytes", allowZero: true)
        }
        return limits
    }

    private static func positive(_ value: Int, _ flag: String, allowZero: Bool = false) throws -> Int {
        guard value > 0 || (allowZero && value == 0) else { throw ValidationError("\(flag) must be a positive number") }
        return value
    }

    private static func duration(_ text: String, _ flag: String) throws -> Duration {
        guard let value = PrometheusDuration.parse(text), value > .zero else {
            throw ValidationError("\(flag): invalid duration \(text.debugDescription) (e.g. 10s, 500ms)")
        }
        return value
    }
}
