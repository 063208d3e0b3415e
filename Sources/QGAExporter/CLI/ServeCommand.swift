import ArgumentParser
import Hummingbird
import Logging
import QGAProtocol
import ServiceLifecycle
import UnixSignals

/// Runs the exporter: polls guests in the background and serves `/metrics`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Poll the guest agents and serve their metrics (the default command).")

    @Option(name: .customLong("web.listen-address"),
            help: "Address to listen on for web interface and telemetry; repeat for several. (default: :\(ServeSettings.defaultPort))")
    var listenAddresses: [String] = []

    @Flag(name: .customLong("web.systemd-socket"),
          help: "Listen on the sockets systemd passes (socket activation) instead of --web.listen-address.")
    var systemdSocket = false

    @Option(name: .customLong("web.telemetry-path"), help: "Path under which to expose metrics.")
    var telemetryPath = "/metrics"

    @Option(name: .customLong("web.config.file"),
            help: "exporter-toolkit web config (TLS, bcrypt basic_auth_users) for every listener, as node_exporter reads it.")
    var webConfigFile: String?

    @Option(name: .customLong("control.listen-address"),
            help: "Serve the control API here: unix:/path or host:port (:port is loopback). Off unless given here or as control.listen_address.")
    var controlListenAddress: String?

    @Option(name: .customLong("config.file"), help: "Path to the YAML config file (guests, discovery, filters, control).")
    var configFile: String?

    @Option(name: .customLong("guest"), help: ArgumentHelp(
        "A guest to poll, as NAME=ADDRESS with ADDRESS unix:/path, vsock:CID:PORT, tcp:HOST:PORT or libvirt:DOMAIN[@URI]; repeatable.",
        valueName: "name=address"))
    var guests: [String] = []

    @Option(name: .customLong("poll.interval"), help: "How often each guest is polled (Prometheus duration, e.g. 15s). Overrides the config.")
    var pollInterval: String?

    @Option(name: .customLong("poll.timeout"), help: "Deadline for each agent command (e.g. 5s). Overrides the config.")
    var pollTimeout: String?

    @Option(name: .customLong("poll.connect-timeout"), help: "Deadline for connecting to an agent and syncing with it (e.g. 1s). Overrides the config.")
    var pollConnectTimeout: String?

    @Option(name: .customLong("poll.connection"), help: "short: hold each agent's socket only while polling or calling (default); persistent: keep it open. Overrides the config.")
    var pollConnection: String?

    @Option(name: .customLong("log.level"), help: "Only log messages with the given severity or above: debug, info, warn, error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt or json.")
    var logFormat = "logfmt"

    @OptionGroup var collectorFlags: CollectorFlags

    @OptionGroup var webLimitFlags: WebLimitFlags

    func validate() throws {
        guard LogSetup.level(logLevel) != nil else { throw ValidationError("--log.level must be debug, info, warn or error") }
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log.format must be logfmt or json") }
        for address in listenAddresses { _ = try ListenAddress.parse(address) }
        _ = try overrides()
        _ = try webLimitFlags.limits()
        if !telemetryPath.hasPrefix("/") { throw ValidationError("--web.telemetry-path must start with /") }
        if let controlListenAddress {
            do { _ = try ControlAddress.parse(controlListenAddress) } catch {
                throw ValidationError("--control.listen-address: \(error.message)")
            }
        }
    }

    func overrides() throws -> CommandLineOverrides {
        var overrides = CommandLineOverrides()
        do {
            overrides.guests = try guests.map { text throws(ConfigProblem) in try CommandLineOverrides.parseGuest(text) }
        } catch { throw ValidationError(error.message) }
        if let pollInterval { overrides.interval = try FlagValue.duration(pollInterval, "--poll.interval", example: "15s, 1m") }
        if let pollTimeout { overrides.timeout = try FlagValue.duration(pollTimeout, "--poll.timeout", example: "5s") }
        if let pollConnectTimeout {
            overrides.connectTimeout = try FlagValue.duration(pollConnectTimeout, "--poll.connect-timeout", example: "1s")
        }
        if let pollConnection { overrides.connection = try FlagValue.connectionMode(pollConnection, "--poll.connection") }
        overrides.collectors = collectorFlags.switches
        return overrides
    }

    func run() async throws {
        LogSetup.bootstrap(level: LogSetup.level(logLevel)!, format: LogFormat(rawValue: logFormat)!)
        let logger = Logger(label: "qga_exporter")
        var settings = ServeSettings(source: ConfigSource(file: configFile, overrides: try overrides()))
        if !listenAddresses.isEmpty { settings.listenAddresses = try listenAddresses.map(ListenAddress.parse) }
        if systemdSocket {
            do {
                settings.systemdSockets = try SystemdSockets.take()
                if !listenAddresses.isEmpty {
                    logger.warning("--web.listen-address is ignored: listening on the sockets systemd passed")
                }
            } catch {
                logger.error("cannot start", metadata: ["error": "--web.systemd-socket: \(error)"])
                throw ExitCode(1)
            }
        }
        settings.telemetryPath = telemetryPath
        settings.webConfigFile = webConfigFile
        settings.controlAddress = controlListenAddress
        settings.webLimits = try webLimitFlags.limits()
        let application: BuiltApplication
        do {
            application = try buildApplication(settings, logger: logger)
        } catch {
            logger.error("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        let config = application.exporter.config
        if config.guests.isEmpty && config.discovery.isEmpty {
            logger.warning("no guests configured: give --guest NAME=ADDRESS or a config file with guests or discovery")
        }
        logger.info("starting qga_exporter", metadata: ["version": "\(BuildInfo.version)", "revision": "\(BuildInfo.revision)"])
        let group = ServiceGroup(configuration: .init(
            services: application.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
