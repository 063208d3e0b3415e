import Foundation
import QGAProtocol
import Testing

@testable import QGAExporter

/// The libvirt transport against a real libvirtd (private, see `PrivateLibvirtd`) running the
/// TCG test VM of Tests/VM, whose agent socket libvirtd owns: discovery through the libvirt API,
/// polling through virDomainQemuAgentCommand, and libvirt's errors as the client's kinds.
@Suite(.serialized) struct LibvirtEndToEndTests {
    static let guest = "qga-lv-vm"

    @Test(.timeLimit(.minutes(5)))
    func exporterFollowsADomainThroughLibvirt() async throws {
        let artifacts = try await TestDomain.buildArtifacts()
        try await PrivateLibvirtd.with { libvirtd in
            let config = """
                discovery_interval: 1s
                discovery:
                  - libvirt: {uri: "\(libvirtd.uri)"}
                """
            try await RunningExporter.with(configYAML: config, interval: .seconds(1), timeout: .seconds(2)) { exporter in
                // No domain runs yet: discovery finds nothing.
                #expect(exporter.exporter.fleet.guestNames.isEmpty)

                // The agent starts 8 s after the guest's init: the exporter must see the guest down first.
                let xml = try TestDomain(name: Self.guest, append: "qga_delay=8").write(into: libvirtd.directory, artifacts: artifacts)
                try await libvirtd.virsh("define", xml)
                try await libvirtd.virsh("start", Self.guest)
                let uuid = try await libvirtd.virsh("domuuid", Self.guest)

                // While QEMU starts, libvirt says "domain is not running"; once the guest boots,
                // its agent is "not connected" until it starts.
                #expect(await exporter.wait(upTo: .seconds(30)) { $0.report(named: Self.guest)?.errorKind == "timeout" })
                let down = try #require(exporter.store.report(named: Self.guest))
                #expect(down.state == .down)
                #expect(down.lastError?.contains("QEMU guest agent is not connected") == true, "\(down.lastError ?? "")")
                #expect(down.address == "libvirt:\(uuid)@\(libvirtd.uri)")
                #expect(down.source == "libvirt:\(libvirtd.uri)")
                let whileDown = try await Self.metrics(exporter)
                // Labels are sorted by name in the exposition.
                #expect(whileDown.contains(#"qga_up{domain_uuid="\#(uuid)",guest="\#(Self.guest)"} 0"#))

                #expect(await exporter.wait(upTo: .seconds(120)) { $0.state(of: Self.guest) == .up })
                // One full poll after the agent answered, so every collector has run.
                let firstUp = exporter.store.pollCounts
                #expect(await exporter.wait(upTo: .seconds(10)) { $0.pollCounts.success > firstUp.success + 1 })
                let metrics = try await Self.metrics(exporter)
                if let report = exporter.store.report(named: Self.guest), let seconds = report.pollDuration {
                    print("libvirt: one poll of \(Self.guest) (\(report.enabledCommands.count) commands enabled) took \(Int(seconds * 1000)) ms")
                }
                let guestLabel = #"guest="\#(Self.guest)""#
                let uuidLabel = #"domain_uuid="\#(uuid)""#
                func samples(_ family: String, _ labels: String...) -> [String] {
                    metrics.split(separator: "\n").map(String.init).filter { line in
                        line.hasPrefix(family + "{") && line.contains(guestLabel) && line.contains(uuidLabel)
                            && labels.allSatisfy { line.contains($0) }
                    }
                }
                #expect(samples("qga_up") == [#"qga_up{domain_uuid="\#(uuid)",guest="\#(Self.guest)"} 1"#])
                // Disks: the data disk is the guest's only disk, vda, and init has read from it.
                let reads = samples("qga_disk_reads_completed_total", #"device="vda""#)
                #expect(reads.count == 1)
                #expect((reads.first.flatMap(Self.value) ?? 0) > 0, "\(reads)")
                // CPUs: the domain has two vCPUs.
                for cpu in ["0", "1"] {
                    #expect(samples("qga_cpu_seconds_total", #"cpu="\#(cpu)""#, #"mode="idle""#).count == 1, "cpu \(cpu)")
                }
                #expect(samples("qga_cpu_seconds_total", #"cpu="2""#).isEmpty)
                // Filesystems: the 64 MiB ext4 data disk at /data.
                let size = samples("qga_filesystem_size_bytes", #"mountpoint="/data""#, #"fstype="ext4""#)
                #expect(size.count == 1, "\(size)")
                let bytes = size.first.flatMap(Self.value) ?? 0
                #expect(bytes > 50 * 1024 * 1024 && bytes <= 64 * 1024 * 1024, "\(bytes)")
                #expect(samples("qga_agent_info", #"version="7.2"#).count == 1)

                // The client the control endpoint uses for this guest works over libvirt too.
                let client = try #require(exporter.exporter.fleet.client(for: Self.guest))
                #expect(try await client.call(.getHostName).hostName == "qga-test-vm")
                let error = await Self.failure { try await client.executeRaw("guest-no-such-command") }
                #expect(error?.kind == .unsupported)
                #expect(error?.agentClass == "CommandNotFound")

                // Destroyed: the guest leaves /metrics at the next discovery.
                try await libvirtd.virsh("destroy", Self.guest)
                #expect(await exporter.wait(upTo: .seconds(15)) { $0.report(named: Self.guest) == nil })
                let after = try await Self.metrics(exporter)
                #expect(!after.contains(guestLabel))
                #expect(exporter.exporter.fleet.guestNames.isEmpty)
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func libvirtErrorsBecomeTheClientsKinds() async throws {
        let artifacts = try await TestDomain.buildArtifacts()
        try await PrivateLibvirtd.with { libvirtd in
            let pool = LibvirtConnectionPool(threads: 2)
            func client(_ domain: String, uri: String? = nil) -> AgentClient {
                AgentClient(address: .libvirt(domain: domain, uri: uri ?? libvirtd.uri),
                            options: AgentClientOptions(commandTimeout: .seconds(2)), libvirt: pool)
            }

            // Defined but not running.
            let stoppedXML = try TestDomain(name: "qga-lv-stopped", agentChannel: false)
                .write(into: libvirtd.directory, artifacts: artifacts)
            try await libvirtd.virsh("define", stoppedXML)
            let stopped = await Self.failure { try await client("qga-lv-stopped").call(.ping) }
            #expect(stopped?.kind == .connectionRefused)
            #expect(stopped?.message.contains("domain is not running") == true, "\(stopped?.message ?? "")")

            // Running, without an agent channel.
            try await libvirtd.virsh("start", "qga-lv-stopped")
            let noChannel = await Self.failure { try await client("qga-lv-stopped").call(.ping) }
            #expect(noChannel?.kind == .connectFailed)
            #expect(noChannel?.message.contains("QEMU guest agent is not configured") == true, "\(noChannel?.message ?? "")")
            try await libvirtd.virsh("destroy", "qga-lv-stopped")

            // No such domain, by name and by UUID.
            #expect(await Self.failure { try await client("qga-lv-nosuch").call(.ping) }?.kind == .socketNotFound)
            #expect(await Self.failure { try await client("00000000-0000-0000-0000-000000000001").call(.ping) }?.kind
                == .socketNotFound)

            // The read-only socket: libvirtd refuses agent commands on it.
            let readOnly = await Self.failure { try await client("qga-lv-stopped", uri: libvirtd.readOnlyURI).call(.ping) }
            #expect(readOnly?.kind == .permissionDenied)
            #expect(readOnly?.message.contains("read only access prevents virDomainQemuAgentCommand") == true,
                    "\(readOnly?.message ?? "")")

            // A command that never answers on success: the guest powers off, libvirt sees its agent go.
            let xml = try TestDomain(name: "qga-lv-shutdown").write(into: libvirtd.directory, artifacts: artifacts)
            try await libvirtd.virsh("create", xml)
            let guest = client("qga-lv-shutdown")
            var answered = false
            for _ in 0..<60 where !answered {
                answered = (try? await guest.call(.ping)) != nil
                if !answered { try await Task.sleep(for: .seconds(1)) }
            }
            #expect(answered, "the guest's agent never answered through libvirt")
            try await guest.executeNoReply("guest-shutdown")
            var running = true
            for _ in 0..<50 where running {
                running = try await libvirtd.virsh("list", "--name").contains("qga-lv-shutdown")
                if running { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(!running, "the domain still runs after guest-shutdown")

            // Discovery lists only domains with a QEMU process.
            let connection = pool.connection(uri: libvirtd.uri)
            #expect(try await connection.activeDomains().isEmpty)
            try await pool.shutdown()
        }
    }

    static func metrics(_ exporter: RunningExporter) async throws -> String {
        try await HTTP.get(exporter.url("/metrics")).text
    }

    static func value(_ line: String) -> Double? {
        line.split(separator: " ").last.flatMap { Double($0) }
    }

    /// The AgentError `body` failed with; nil (and a recorded issue) when it did not fail so.
    static func failure<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async -> AgentError? {
        do {
            let value = try await body()
            Issue.record("expected an AgentError, got \(value)", sourceLocation: sourceLocation)
        } catch let error as AgentError {
            return error
        } catch {
            Issue.record("expected an AgentError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}
