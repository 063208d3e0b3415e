import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The assembled exporter: its parts, and the services that run it (polling, one web listener
/// per address, the control API).
struct BuiltApplication: Sendable {
    let exporter: Exporter
    /// Set when the control API is switched on.
    let control: ControlAPI?
    /// In start order; a service group shuts them down in reverse.
    let services: [any Service]
}

/// Which listener just started, for `onListening`.
enum Listener: Sendable, Equatable {
    case web(ListenAddress)
    /// A socket systemd passed us, by descriptor.
    case systemd(CInt)
    case control
}

/// Builds the whole exporter from its settings, as Hummingbird's `buildApplication` does:
/// config, listeners with their limits, TLS and auth, routes, and services. `serve` and every
/// test call this, so the tests run the stack users run. Fails with the file, line and key of
/// the first config problem.
func buildApplication(
    _ settings: ServeSettings, logger: Logger,
    onListening: @escaping @Sendable (Listener, any Channel) async -> Void = { _, _ in }
) throws(ConfigError) -> BuiltApplication {
    let exporter = try Exporter(source: settings.source, logger: logger, renderFreshFor: settings.renderFreshFor)
    let setup = try ListenerSetup.make(exporter: exporter, webConfigFile: settings.webConfigFile,
                                       controlAddress: settings.controlAddress, webLimits: settings.webLimits, logger: logger)
    let router = exporter.buildRouter(telemetryPath: settings.telemetryPath, webAuth: setup.webAuth)
    var services: [any Service] = [PollingService(exporter: exporter)]
    for descriptor in settings.systemdSockets {
        services.append(ActivatedListener(descriptor: descriptor, router: router, setup: setup, limits: settings.webLimits,
                                          logger: logger) { channel in await onListening(.systemd(descriptor), channel) })
    }
    for address in settings.systemdSockets.isEmpty ? settings.listenAddresses : [] {
        services.append(Application(
            router: router,
            server: setup.webServer,
            configuration: settings.webLimits.applicationConfiguration(address: address.bindAddress, serverName: "qga_exporter",
                                                                       logger: logger),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": "\(channel.localAddress?.description ?? address.text)"])
                await onListening(.web(address), channel)
            },
            logger: logger))
    }
    // Last in the list, so it shuts down first: it thaws guests it froze while the poller can
    // still reach them.
    if let control = setup.control {
        services.append(try ControlServer.service(api: control, limits: settings.webLimits, logger: logger) { channel in
            await onListening(.control, channel)
        })
    }
    return BuiltApplication(exporter: exporter, control: setup.control, services: services)
}
