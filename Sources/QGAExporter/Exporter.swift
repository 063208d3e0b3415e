import Foundation
import Hummingbird
import Logging
import QGAMetrics
import QGAProtocol
import Synchronization

/// The running exporter's parts, built once so the CLI and the tests assemble the same thing.
final class Exporter: Sendable {
    let store = SnapshotStore()
    let fleet: Fleet
    let cache: ExpositionCache
    let source: ConfigSource
    let logger: Logger
    private let libvirtDomains = LibvirtDomainLister()
    private let state: Mutex<(config: ExporterConfig, discovery: GuestDiscovery, filters: FilterSet, ready: Bool)>
    /// Parts that follow the config (the control API's allowlists and credentials).
    private let reloadHooks = Mutex<[@Sendable (ExporterConfig) -> Void]>([])

    /// Fails with the file, line and key of the first config problem.
    /// `renderFreshFor`: see `ExpositionCache` (tests set it to zero).
    init(source: ConfigSource, logger: Logger, renderFreshFor: Duration = .seconds(1)) throws(ConfigError) {
        let config = try source.load()
        let (discovery, filters) = try Self.prepare(config, source: source)
        self.source = source
        self.logger = logger
        fleet = Fleet(store: store, poll: config.poll, logger: logger)
        cache = ExpositionCache(store: store, freshFor: renderFreshFor)
        state = Mutex((config, discovery, filters, false))
    }

    var config: ExporterConfig { state.withLock { $0.config } }
    var isReady: Bool { state.withLock { $0.ready } }

    /// Starts polling with the loaded config.
    func start() async {
        let (config, discovery, filters) = state.withLock { ($0.config, $0.discovery, $0.filters) }
        await fleet.reconfigure(filters: filters, poll: config.poll)
        await rediscover(discovery)
        state.withLock { $0.ready = true }
    }

    /// Runs discovery again: new sockets and domains become guests, vanished ones leave.
    func rediscover() async {
        await rediscover(state.withLock { $0.discovery })
    }

    private func rediscover(_ discovery: GuestDiscovery) async {
        let domains = await libvirtDomains.list(discovery.config.discovery.compactMap(\.libvirt), logger: logger)
        await fleet.apply(discovery.resolve(logger: logger, domains: { domains[$0] ?? [] }))
    }

    /// SIGHUP: a bad file keeps the running config, and says why.
    @discardableResult
    func reload() async -> Bool {
        let config: ExporterConfig
        let discovery: GuestDiscovery
        let filters: FilterSet
        do {
            config = try source.load()
            (discovery, filters) = try Self.prepare(config, source: source)
        } catch {
            logger.error("config reload failed, keeping the running config", metadata: ["error": "\(error)"])
            return false
        }
        let changedPolling = state.withLock { state -> Bool in
            let changed = state.config.poll != config.poll || state.config.filters != config.filters
            state.config = config
            state.discovery = discovery
            state.filters = filters
            return changed
        }
        if changedPolling { await fleet.reconfigure(filters: filters, poll: config.poll) }
        await rediscover(discovery)
        for hook in reloadHooks.withLock({ $0 }) { hook(config) }
        logger.info("config reloaded", metadata: ["guests": "\(fleet.guestNames.count)"])
        return true
    }

    /// Runs `hook` with the new config after every successful reload.
    func onReload(_ hook: @escaping @Sendable (ExporterConfig) -> Void) {
        reloadHooks.withLock { $0.append(hook) }
    }

    /// Compiles what can fail (filters, name patterns) so errors surface at load, not at poll.
    private static func prepare(_ config: ExporterConfig, source: ConfigSource) throws(ConfigError) -> (GuestDiscovery, FilterSet) {
        let where_ = source.file ?? "command line"
        do {
            return (try GuestDiscovery(config: config), try FilterSet(config.filters))
        } catch {
            throw ConfigError(file: where_, line: nil, key: "filters", message: error.message)
        }
    }

    /// The metrics listener's routes; `webAuth` (basic_auth_users of the web config) guards all.
    func buildRouter(telemetryPath: String, webAuth: Authenticator? = nil) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if let webAuth { router.add(middleware: WebAuthMiddleware(authenticator: webAuth)) }
        MetricsRoutes.add(to: router, path: telemetryPath, cache: cache)
        HealthRoutes.add(to: router) { [weak self] in self?.isReady ?? false }
        LandingPage.add(to: router, telemetryPath: telemetryPath, store: store)
        ProbeRoutes.add(to: router, store: store)
        // The `hypervisor` static label names this host in /sd when set; else its host name.
        ServiceDiscoveryRoutes.add(to: router, store: store,
                                   hypervisor: config.labels["hypervisor"] ?? ProcessInfo.processInfo.hostName)
        return router
    }
}
