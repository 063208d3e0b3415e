import Foundation
import QGAProtocol

/// Reads the YAML config file. Every error names the file, the line and the key.
enum ConfigLoader {
    static func load(path: String) throws(ConfigError) -> ExporterConfig {
        try parse(try YAMLFile.read(path: path), file: path)
    }

    static func parse(_ text: String, file: String) throws(ConfigError) -> ExporterConfig {
        guard let root = try YAMLFile.root(text, file: file) else { return ExporterConfig() }
        return try parseRoot(root)
    }

    private static func parseRoot(_ root: YAMLReader) throws(ConfigError) -> ExporterConfig {
        var config = ExporterConfig()
        let keys: Set<String> = ["poll", "collectors", "filters", "labels", "guests", "discovery",
                                 "discovery_interval", "control"]
        for (key, value) in try root.mapping(allowed: keys) {
            switch key {
            case "poll": config.poll = try parsePoll(value)
            case "collectors": config.collectors = try parseCollectors(value)
            case "filters": config.filters = try parseFilters(value)
            case "labels": config.labels = try parseLabels(value)
            case "guests":
                for item in try value.sequence() { config.guests.append(try parseGuest(item)) }
            case "discovery":
                for item in try value.sequence() { config.discovery.append(try parseDiscovery(item)) }
            case "discovery_interval": config.discoveryInterval = try value.duration(minimum: .seconds(1))
            case "control": config.control = try parseControl(value)
            default: break
            }
        }
        try checkUniqueGuestNames(config.guests, root: root)
        return config
    }

    private static func parsePoll(_ reader: YAMLReader) throws(ConfigError) -> PollSettings {
        var poll = PollSettings()
        let keys: Set<String> = ["interval", "timeout", "connect_timeout", "connection", "concurrency", "jitter"]
        for (key, value) in try reader.mapping(allowed: keys) {
            switch key {
            case "interval": poll.interval = try value.duration(minimum: .milliseconds(100))
            case "timeout": poll.timeout = try value.duration(minimum: .milliseconds(10))
            case "connect_timeout": poll.connectTimeout = try value.duration(minimum: .milliseconds(10))
            case "connection": poll.connection = try parseConnection(value)
            case "concurrency": poll.concurrency = try value.int(in: 1...100_000)
            case "jitter": poll.jitter = try value.double(in: 0...1)
            default: break
            }
        }
        return poll
    }

    private static func parseCollectors(_ reader: YAMLReader) throws(ConfigError) -> CollectorSwitches {
        var switches = CollectorSwitches()
        for (key, value) in try reader.mapping(allowed: Set(CollectorCatalog.optionalNames)) {
            switches.enabled[key] = try value.bool()
        }
        return switches
    }

    private static func parseFilters(_ reader: YAMLReader) throws(ConfigError) -> Filters {
        var filters = Filters()
        let sections: [String: (WritableKeyPath<Filters, String?>, WritableKeyPath<Filters, String?>)] = [
            "mountpoints": (\.mountpointsInclude, \.mountpointsExclude),
            "fstypes": (\.fstypesInclude, \.fstypesExclude),
            "disk_devices": (\.diskDevicesInclude, \.diskDevicesExclude),
            "net_devices": (\.netDevicesInclude, \.netDevicesExclude),
        ]
        for (section, value) in try reader.mapping(allowed: Set(sections.keys)) {
            let (includePath, excludePath) = sections[section]!
            for (key, pattern) in try value.mapping(allowed: ["include", "exclude"]) {
                // An empty pattern switches the filter off (e.g. to see every mount point).
                let text = try pattern.isNull ? "" : pattern.string()
                let path = key == "include" ? includePath : excludePath
                filters[keyPath: path] = text.isEmpty ? nil : text
                _ = try pattern.check { () throws(ConfigProblem) in
                    try NameFilter(include: text.isEmpty ? nil : text, exclude: nil)
                }
            }
        }
        return filters
    }

    private static func parseLabels(_ reader: YAMLReader) throws(ConfigError) -> [String: String] {
        var labels: [String: String] = [:]
        for (name, value) in try reader.mapping() {
            try value.check { () throws(ConfigProblem) in try LabelRules.checkStaticLabelName(name) }
            labels[name] = try value.string()
        }
        return labels
    }

    private static func parseOverrides(_ key: String, _ value: YAMLReader,
                                       into overrides: inout GuestOverrides) throws(ConfigError) {
        switch key {
        case "poll_interval": overrides.interval = try value.duration(minimum: .milliseconds(100))
        case "timeout": overrides.timeout = try value.duration(minimum: .milliseconds(10))
        case "connect_timeout": overrides.connectTimeout = try value.duration(minimum: .milliseconds(10))
        case "connection": overrides.connection = try parseConnection(value)
        case "collectors": overrides.collectors = try parseCollectors(value)
        default: break
        }
    }

    /// The keys a guest or a discovery rule may override.
    private static let overrideKeys: Set<String> = ["poll_interval", "timeout", "connect_timeout", "connection", "collectors"]

    private static func parseConnection(_ value: YAMLReader) throws(ConfigError) -> ConnectionMode {
        let text = try value.string()
        guard let mode = ConnectionMode(rawValue: text) else {
            throw value.error("unknown connection mode \(text.debugDescription) (use short or persistent)")
        }
        return mode
    }

    private static func parseGuest(_ reader: YAMLReader) throws(ConfigError) -> StaticGuest {
        var name: String?
        var address: AgentAddress?
        var labels: [String: String] = [:]
        var overrides = GuestOverrides()
        let keys = Set(["name", "address", "labels"]).union(overrideKeys)
        for (key, value) in try reader.mapping(allowed: keys) {
            switch key {
            case "name":
                let text = try value.nonEmptyString()
                try value.check { () throws(ConfigProblem) in try LabelRules.checkGuestName(text) }
                name = text
            case "address":
                let text = try value.nonEmptyString()
                address = try value.check { () throws(ConfigProblem) in
                    do { return try AgentAddress(parsing: text) } catch { throw ConfigProblem("\(error)") }
                }
            case "labels": labels = try parseLabels(value)
            default: try parseOverrides(key, value, into: &overrides)
            }
        }
        guard let name else { throw reader.error("a guest needs a name") }
        guard let address else { throw reader.error("guest \(name.debugDescription) needs an address (unix:/path, vsock:CID:PORT, tcp:HOST:PORT or libvirt:DOMAIN[@URI])") }
        return StaticGuest(name: name, address: address, labels: labels, overrides: overrides)
    }

    private static func parseDiscovery(_ reader: YAMLReader) throws(ConfigError) -> DiscoveryRule {
        var rule: DiscoveryRule?
        var nameRegex: String?
        var labels: [String: String] = [:]
        var overrides = GuestOverrides()
        let keys = Set(["preset", "glob", "libvirt", "name_regex", "labels", "proxmox_config_dir"]).union(overrideKeys)
        var proxmoxConfigDir: String?
        let oneSource = "give one of preset, glob or libvirt per discovery rule"
        for (key, value) in try reader.mapping(allowed: keys) {
            switch key {
            case "preset":
                let preset = try value.string()
                guard let found = DiscoveryRule.presets[preset] else {
                    let known = DiscoveryRule.presets.keys.sorted().joined(separator: ", ")
                    throw value.error("unknown preset \(preset.debugDescription) (known: \(known))")
                }
                guard rule == nil else { throw value.error(oneSource) }
                rule = found
            case "glob":
                guard rule == nil else { throw value.error(oneSource) }
                rule = DiscoveryRule(glob: try value.nonEmptyString())
            case "libvirt":
                guard rule == nil else { throw value.error(oneSource) }
                rule = DiscoveryRule(libvirt: try parseLibvirt(value))
            case "name_regex":
                let pattern = try value.nonEmptyString()
                try value.check { () throws(ConfigProblem) in try GuestNamer.checkPattern(pattern) }
                nameRegex = pattern
            case "labels": labels = try parseLabels(value)
            case "proxmox_config_dir": proxmoxConfigDir = try value.nonEmptyString()
            default: try parseOverrides(key, value, into: &overrides)
            }
        }
        guard var rule else { throw reader.error("a discovery rule needs a glob, a preset or libvirt") }
        if let nameRegex { rule.nameRegex = nameRegex }
        if let proxmoxConfigDir {
            guard rule.libvirt == nil else {
                throw reader.error("proxmox_config_dir goes with a glob or the proxmox preset, not with libvirt")
            }
            rule.proxmoxConfigDir = proxmoxConfigDir
        }
        rule.labels = labels
        rule.overrides = overrides
        return rule
    }

    /// `libvirt: {uri: ...}`; an empty `libvirt:` takes the default connection.
    private static func parseLibvirt(_ reader: YAMLReader) throws(ConfigError) -> LibvirtDiscovery {
        var source = LibvirtDiscovery(uri: nil)
        if reader.isNull { return source }
        for (key, value) in try reader.mapping(allowed: ["uri"]) where key == "uri" {
            let uri = try value.nonEmptyString()
            guard uri.contains(":") else {
                throw value.error("\(uri.debugDescription) is not a libvirt URI (e.g. qemu:///system, qemu:///system?socket=/path)")
            }
            source.uri = uri
        }
        return source
    }

    private static func parseControl(_ reader: YAMLReader) throws(ConfigError) -> ControlSettings {
        var control = ControlSettings()
        let keys: Set<String> = ["listen_address", "tokens_file", "web_config_file", "audit_log", "max_body_bytes",
                                 "max_file_bytes", "command_timeout", "exec_timeout", "freeze_auto_thaw", "allow"]
        for (key, value) in try reader.mapping(allowed: keys) {
            switch key {
            case "listen_address":
                let text = try value.nonEmptyString()
                _ = try value.check { () throws(ConfigProblem) in try ControlAddress.parse(text) }
                control.listenAddress = text
            case "tokens_file": control.tokensFile = try value.nonEmptyString()
            case "web_config_file": control.webConfigFile = try value.nonEmptyString()
            case "audit_log": control.auditLog = try value.nonEmptyString()
            case "max_body_bytes": control.maxBodyBytes = try value.int(in: 1024...(1 << 30))
            case "max_file_bytes": control.maxFileBytes = try value.int(in: 1...(1 << 30))
            case "command_timeout": control.commandTimeout = try value.duration(minimum: .milliseconds(100))
            case "exec_timeout": control.execTimeout = try value.duration(minimum: .seconds(1))
            case "freeze_auto_thaw": control.freezeAutoThaw = try value.duration(minimum: .seconds(1))
            case "allow":
                for (principal, commands) in try value.mapping() {
                    let entries = try commands.stringList()
                    try commands.check { () throws(ConfigProblem) in try CommandPolicy.checkEntries(entries) }
                    control.allow[principal] = entries
                }
            default: break
            }
        }
        return control
    }

    private static func checkUniqueGuestNames(_ guests: [StaticGuest], root: YAMLReader) throws(ConfigError) {
        var seen: Set<String> = []
        for (index, guest) in guests.enumerated() where !seen.insert(guest.name).inserted {
            throw ConfigError(file: root.file, line: nil, key: "guests[\(index)].name",
                              message: "guest name \(guest.name.debugDescription) is used twice")
        }
    }
}
