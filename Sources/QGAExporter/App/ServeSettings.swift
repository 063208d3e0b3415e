/// Everything `serve` is told: where the config comes from and how to listen. The flags make
/// one; each test makes one; `buildApplication` turns it into the running exporter.
struct ServeSettings: Sendable {
    static let defaultPort = 9957

    var source: ConfigSource
    /// Where `/metrics` and the other web endpoints listen.
    var listenAddresses: [ListenAddress] = [ListenAddress(host: "0.0.0.0", port: defaultPort, text: ":\(defaultPort)")]
    /// Listening sockets systemd passed us (`--web.systemd-socket`); when given, they replace
    /// `listenAddresses`.
    var systemdSockets: [CInt] = []
    var telemetryPath = "/metrics"
    /// exporter-toolkit web config: TLS and basic auth for every listener.
    var webConfigFile: String?
    /// The control API's listen address; wins over `control.listen_address` of the config.
    var controlAddress: String?
    var webLimits = WebLimits()
    /// How long a rendered `/metrics` body is served to concurrent scrapes (`ExpositionCache`).
    var renderFreshFor: Duration = .seconds(1)
}
