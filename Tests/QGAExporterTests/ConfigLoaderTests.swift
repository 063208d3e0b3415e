import QGAProtocol
import Testing

@testable import QGAExporter

@Suite struct ConfigLoaderTests {
    static let full = """
    poll:
      interval: 30s
      timeout: 2s
      concurrency: 8
      jitter: 0.2
    labels:
      hypervisor: hv1
    collectors:
      users: false
    filters:
      mountpoints:
        exclude: "^/boot"
      net_devices:
        include: "^eth"
    guests:
      - name: web1
        address: unix:/run/qga/web1.sock
        labels: {env: prod}
        poll_interval: 1m
        collectors: {users: true}
      - name: db1
        address: vsock:3:1234
    discovery:
      - preset: proxmox
        labels: {source: pve}
      - glob: /run/vms/*/qga.sock
        name_regex: "/run/vms/([^/]+)/"
    discovery_interval: 1m
    """

    @Test func parsesEverySection() throws {
        let config = try ConfigLoader.parse(Self.full, file: "test.yml")
        #expect(config.poll.interval == .seconds(30))
        #expect(config.poll.timeout == .seconds(2))
        #expect(config.poll.concurrency == 8)
        #expect(config.poll.jitter == 0.2)
        #expect(config.labels == ["hypervisor": "hv1"])
        #expect(config.collectors.isEnabled("users", default: true) == false)
        #expect(config.filters.mountpointsExclude == "^/boot")
        #expect(config.filters.netDevicesInclude == "^eth")
        #expect(config.filters.fstypesExclude == Filters.defaultFstypesExclude)
        #expect(config.guests.count == 2)
        #expect(config.guests[0].address == .unix(path: "/run/qga/web1.sock"))
        #expect(config.guests[0].overrides.interval == .seconds(60))
        #expect(config.guests[1].address == .vsock(cid: 3, port: 1234))
        #expect(config.discovery[0].glob == "/var/run/qemu-server/*.qga")
        #expect(config.discovery[0].labels == ["source": "pve"])
        #expect(config.discovery[1].nameRegex == "/run/vms/([^/]+)/")
        #expect(config.discoveryInterval == .seconds(60))
    }

    @Test func emptyFileGivesDefaults() throws {
        let config = try ConfigLoader.parse("", file: "empty.yml")
        #expect(config == ExporterConfig())
        #expect(config.poll.interval == .seconds(15))
    }

    /// Each bad input names the file, the line and the key.
    @Test(arguments: [
        ("poll:\n  interval: 15 s\n", 2, "poll.interval", "invalid duration"),
        ("poll:\n  intervall: 15s\n", 2, "poll.intervall", "unknown key"),
        ("guests:\n  - name: a\n    address: nfs:/x\n", 3, "guests[0].address", "nfs:/x"),
        ("guests:\n  - address: unix:/x\n", 2, "guests[0]", "needs a name"),
        ("poll:\n  concurrency: 0\n", 2, "poll.concurrency", "out of range"),
        ("labels:\n  guest: x\n", 2, "labels.guest", "set by the exporter"),
        ("labels:\n  9bad: x\n", 2, "labels.9bad", "not a valid Prometheus label name"),
        ("filters:\n  fstypes:\n    exclude: \"(\"\n", 3, "filters.fstypes.exclude", "invalid regular expression"),
        ("discovery:\n  - preset: vmware\n", 2, "discovery[0].preset", "unknown preset"),
        ("collectors:\n  nosuch: true\n", 2, "collectors.nosuch", "unknown key"),
        ("collectors:\n  users: maybe\n", 2, "collectors.users", "expected true or false"),
        ("poll:\n  connection: sticky\n", 2, "poll.connection", "use short or persistent"),
        ("poll:\n  connect_timeout: soon\n", 2, "poll.connect_timeout", "invalid duration"),
        ("guests:\n  - name: a\n    address: unix:/a\n    connection: always\n", 4, "guests[0].connection", "use short or persistent"),
        ("discovery:\n  - libvirt: {}\n    proxmox_config_dir: /etc/pve/qemu-server\n", 2, "discovery[0]", "proxmox_config_dir goes with a glob"),
        ("discovery:\n  - glob: /x/*.sock\n    libvirt: {}\n", 3, "discovery[0].libvirt", "one of preset, glob or libvirt"),
        ("discovery:\n  - libvirt: {url: qemu:///system}\n", 2, "discovery[0].libvirt.url", "unknown key"),
        ("discovery:\n  - libvirt: {uri: system}\n", 2, "discovery[0].libvirt.uri", "not a libvirt URI"),
        ("discovery:\n  - labels: {a: b}\n", 2, "discovery[0]", "needs a glob, a preset or libvirt"),
        ("labels:\n  domain_uuid: x\n", 2, "labels.domain_uuid", "set by the exporter"),
        ("guests:\n  - {name: a, address: \"libvirt:\"}\n", 2, "guests[0].address", "domain name is empty"),
    ])
    func errorsNameFileLineAndKey(yaml: String, line: Int, key: String, message: String) {
        #expect {
            try ConfigLoader.parse(yaml, file: "/etc/qga_exporter/config.yml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.file == "/etc/qga_exporter/config.yml" && error.line == line && error.key == key
                && error.description.contains(message)
                && error.description.hasPrefix("/etc/qga_exporter/config.yml:\(line): \(key): ")
        }
    }

    /// Short sessions unless a guest or rule says otherwise; the connect deadline is its own.
    @Test func connectionModeAndConnectTimeoutResolvePerGuest() throws {
        let yaml = """
            poll: {timeout: 4s, connect_timeout: 300ms}
            guests:
              - {name: a, address: unix:/a}
              - {name: b, address: "vsock:3:9999", connection: persistent, connect_timeout: 2s}
            discovery:
              - preset: proxmox
              - glob: /run/vms/*.sock
                connection: persistent
                proxmox_config_dir: /srv/pve
            """
        let config = try ConfigLoader.parse(yaml, file: "c.yml")
        #expect(ExporterConfig().poll.connection == .short)
        #expect(ExporterConfig().poll.connectTimeout == .seconds(1))
        let guests = try GuestDiscovery(config: config).resolve(expand: { glob in
            glob.hasPrefix("/var/run/qemu-server") ? ["/var/run/qemu-server/101.qga"] : ["/run/vms/x.sock"]
        })
        let byName = Dictionary(uniqueKeysWithValues: guests.map { ($0.name, $0) })
        #expect(byName["a"]?.connection == .short)
        #expect(byName["a"]?.clientOptions.syncTimeout == .milliseconds(300))
        #expect(byName["a"]?.clientOptions.commandTimeout == .seconds(4))
        #expect(byName["b"]?.connection == .persistent)
        #expect(byName["b"]?.clientOptions.connectTimeout == .seconds(2))
        #expect(byName["101"]?.connection == .short)
        #expect(byName["101"]?.proxmoxConfig == "/etc/pve/qemu-server/101.conf")
        #expect(byName["x"]?.connection == .persistent)
        #expect(byName["x"]?.proxmoxConfig == "/srv/pve/x.conf")
        #expect(byName["a"]?.proxmoxConfig == nil)
    }

    @Test func libvirtPresetGoesThroughLibvirtd() throws {
        let config = try ConfigLoader.parse("discovery:\n  - preset: libvirt\n  - preset: libvirt-api\n", file: "c.yml")
        #expect(config.discovery.allSatisfy { $0.libvirt != nil && $0.glob.isEmpty },
                "never a glob of libvirtd's own channel sockets")
    }

    @Test func syntaxErrorsHaveALine() {
        #expect {
            try ConfigLoader.parse("poll:\n  interval: [15s\n", file: "c.yml")
        } throws: { error in
            (error as? ConfigError)?.line != nil && "\(error)".contains("invalid YAML")
        }
    }

    @Test func duplicateGuestNamesAreRefused() {
        let yaml = "guests:\n  - {name: a, address: unix:/a}\n  - {name: a, address: unix:/b}\n"
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(yaml, file: "c.yml") }
    }

    @Test func missingFileIsAClearError() {
        #expect {
            try ConfigLoader.load(path: "/nonexistent/qga.yml")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/qga.yml: cannot read")
        }
    }

    @Test(arguments: [
        ("15s", Duration.seconds(15)), ("1m30s", .seconds(90)), ("500ms", .milliseconds(500)), ("2h", .seconds(7200)),
        ("1d", .seconds(86400)), ("0", .zero), ("1h1ms", .milliseconds(3_600_001)),
    ])
    func prometheusDurations(text: String, expected: Duration) {
        #expect(PrometheusDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "15", "s", "1.5s", "15 s", "1s1m", "-1s", "1m1m"])
    func invalidDurations(text: String) {
        #expect(PrometheusDuration.parse(text) == nil)
    }

    @Test func commandLineGuestsAndOverrides() throws {
        var overrides = CommandLineOverrides()
        overrides.guests = [try CommandLineOverrides.parseGuest("host=unix:/tmp/a.sock")]
        overrides.interval = .seconds(5)
        overrides.collectors.enabled["users"] = false
        let config = try overrides.apply(to: try ConfigLoader.parse(Self.full, file: "t.yml"))
        #expect(config.guests.map(\.name) == ["web1", "db1", "host"])
        #expect(config.poll.interval == .seconds(5))
        #expect(config.collectors.isEnabled("users", default: true) == false)
        #expect(throws: ConfigProblem.self) { try CommandLineOverrides.parseGuest("no-equals-sign") }
        #expect(throws: ConfigProblem.self) { try CommandLineOverrides.parseGuest("a=bogus:1") }
        var clash = CommandLineOverrides()
        clash.guests = [try CommandLineOverrides.parseGuest("web1=unix:/x")]
        #expect(throws: ConfigProblem.self) { try clash.apply(to: try ConfigLoader.parse(Self.full, file: "t.yml")) }
    }
}
