import Logging
import QGAMetrics
import QGAProtocol

/// Turns the config into the list of guests to poll: the static ones, then what each discovery
/// rule finds now (sockets for glob rules, running domains for libvirt rules). Run again on every
/// discovery tick so guests come and go.
struct GuestDiscovery: Sendable {
    let config: ExporterConfig
    private let namers: [GuestNamer]

    init(config: ExporterConfig) throws(ConfigProblem) {
        self.config = config
        var namers: [GuestNamer] = []
        for rule in config.discovery { namers.append(try GuestNamer(pattern: rule.nameRegex)) }
        self.namers = namers
    }

    /// Static guests win over discovered ones with the same name; the first rule wins over later ones.
    /// `domains` gives a libvirt rule's running domains, as last listed (see `LibvirtDomainLister`).
    func resolve(logger: Logger? = nil, expand: (String) -> [String] = SocketGlob.expand,
                 domains: (LibvirtDiscovery) -> [LibvirtDomain] = { _ in [] }) -> [GuestSpec] {
        var guests: [GuestSpec] = []
        var names: Set<String> = []
        for guest in config.guests {
            names.insert(guest.name)
            guests.append(spec(name: guest.name, address: guest.address, labels: guest.labels,
                               overrides: guest.overrides, source: "static"))
        }
        for (rule, namer) in zip(config.discovery, namers) {
            if let libvirt = rule.libvirt {
                for domain in domains(libvirt) {
                    guard let name = namer.name(forDomain: domain.name) else {
                        logger?.debug("discovery: domain name does not match", metadata: ["domain": "\(domain.name)"])
                        continue
                    }
                    guard names.insert(name).inserted else {
                        logger?.debug("discovery: name already taken, skipping", metadata: ["domain": "\(domain.uuid)", "guest": "\(name)"])
                        continue
                    }
                    // By UUID: a domain undefined and redefined under the same name is a new guest.
                    var labels = rule.labels
                    labels["domain_uuid"] = domain.uuid
                    guests.append(spec(name: name, address: .libvirt(domain: domain.uuid, uri: libvirt.uri), labels: labels,
                                       overrides: rule.overrides, source: rule.sourceName))
                }
                continue
            }
            for path in expand(rule.glob) {
                guard let name = namer.name(forPath: path) else {
                    logger?.debug("discovery: no guest name in path", metadata: ["path": "\(path)", "glob": "\(rule.glob)"])
                    continue
                }
                guard names.insert(name).inserted else {
                    logger?.debug("discovery: name already taken, skipping", metadata: ["path": "\(path)", "guest": "\(name)"])
                    continue
                }
                var guest = spec(name: name, address: .unix(path: path), labels: rule.labels,
                                 overrides: rule.overrides, source: rule.glob)
                guest.proxmoxConfig = rule.proxmoxConfigDir.map { Self.proxmoxConfig(in: $0, socket: path) }
                guests.append(guest)
            }
        }
        return guests
    }

    private func spec(name: String, address: AgentAddress, labels: [String: String],
                      overrides: GuestOverrides, source: String) -> GuestSpec {
        let merged = config.labels.merging(labels) { _, own in own }
        return GuestSpec(
            name: name, address: address,
            labels: merged.sorted { $0.key < $1.key }.map { Label(name: $0.key, value: $0.value) },
            interval: overrides.interval ?? config.poll.interval,
            timeout: overrides.timeout ?? config.poll.timeout,
            connectTimeout: overrides.connectTimeout ?? config.poll.connectTimeout,
            connection: overrides.connection ?? config.poll.connection,
            collectors: overrides.collectors.over(config.collectors),
            source: source)
    }

    /// `/var/run/qemu-server/101.qga` -> `<dir>/101.conf`: the socket is named by VMID.
    static func proxmoxConfig(in directory: String, socket path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let vmid = file.split(separator: ".", maxSplits: 1).first.map(String.init) ?? file
        return directory + "/" + vmid + ".conf"
    }
}
