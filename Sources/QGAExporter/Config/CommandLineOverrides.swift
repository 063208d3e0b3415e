import QGAProtocol

/// What flags say on top of the config file. Applied after every (re)load, so a reload keeps them.
struct CommandLineOverrides: Sendable {
    var guests: [StaticGuest] = []
    var interval: Duration?
    var timeout: Duration?
    var connectTimeout: Duration?
    var connection: ConnectionMode?
    var collectors = CollectorSwitches()

    /// `NAME=ADDRESS`, as in `--guest web1=unix:/run/qemu/web1.qga`.
    static func parseGuest(_ text: String) throws(ConfigProblem) -> StaticGuest {
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigProblem("--guest wants NAME=ADDRESS (ADDRESS as unix:/path, vsock:CID:PORT or tcp:HOST:PORT), got \(text.debugDescription)")
        }
        let name = String(text[..<equals])
        try LabelRules.checkGuestName(name)
        let addressText = String(text[text.index(after: equals)...])
        do {
            return StaticGuest(name: name, address: try AgentAddress(parsing: addressText))
        } catch {
            throw ConfigProblem("--guest \(name): \(error)")
        }
    }

    func apply(to config: ExporterConfig) throws(ConfigProblem) -> ExporterConfig {
        var config = config
        let known = Set(config.guests.map(\.name))
        for guest in guests where known.contains(guest.name) {
            throw ConfigProblem("--guest \(guest.name): the config file already has a guest of that name")
        }
        config.guests += guests
        if let interval { config.poll.interval = interval }
        if let timeout { config.poll.timeout = timeout }
        if let connectTimeout { config.poll.connectTimeout = connectTimeout }
        if let connection { config.poll.connection = connection }
        config.collectors = collectors.over(config.collectors)
        return config
    }
}

/// Where the running config comes from: the file (if any) plus the flags.
struct ConfigSource: Sendable {
    var file: String?
    var overrides: CommandLineOverrides

    func load() throws(ConfigError) -> ExporterConfig {
        let base = try file.map { path throws(ConfigError) in try ConfigLoader.load(path: path) } ?? ExporterConfig()
        do {
            return try overrides.apply(to: base)
        } catch {
            throw ConfigError(file: "command line", line: nil, key: nil, message: error.message)
        }
    }
}
