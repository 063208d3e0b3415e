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
        if let maxConnections { limits.maxConnections = try FlagValue.positive(maxConnections, "--web.max-connections") }
        if let readTimeout { limits.readTimeout = try FlagValue.duration(readTimeout, "--web.read-timeout", example: "10s, 500ms") }
        if let writeTimeout { limits.writeTimeout = try FlagValue.duration(writeTimeout, "--web.write-timeout", example: "10s, 500ms") }
        if let maxHeaderBytes { limits.maxHeaderBytes = try FlagValue.positive(maxHeaderBytes, "--web.max-header-bytes") }
        if let maxRequestBodyBytes {
            limits.maxRequestBodyBytes = try FlagValue.positive(maxRequestBodyBytes, "--web.max-request-body-bytes", allowZero: true)
        }
        return limits
    }
}
