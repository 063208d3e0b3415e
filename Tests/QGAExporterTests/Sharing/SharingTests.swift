import Foundation
import QGAMetrics
import QGAProtocol
import QGASimulator
import QGATestSupport
import Synchronization
import Testing

@testable import QGAExporter

/// The agent's one channel is shared with the hypervisor's own tools (Proxmox VE's GUI and
/// `qm guest cmd`, vzdump's freeze and thaw, an operator with socat). The exporter holds it only
/// while a poll or a call runs, so their calls get through while it polls.
@Suite struct SharingTests {
    /// A client modelled on Proxmox VE's makes calls against the real qemu-ga while the exporter
    /// polls it every second: every call is answered and the exporter's data stays complete.
    @Test(.enabled(if: RealAgent.isInstalled, "qemu-ga not installed (scripts/install-test-deps installs it)"),
          .timeLimit(.minutes(2)))
    func coTenantCallsAllGetThroughWhileTheExporterPollsTheRealAgent() async throws {
        let agent = try await RealAgent.start()
        defer { Task { await agent.stop() } }
        try await RunningExporter.with(guests: ["host=unix:\(agent.socketPath)"], interval: .seconds(1)) { exporter in
            #expect(await exporter.wait(upTo: .seconds(10)) { $0.state(of: "host") == .up })
            let watcher = CompletenessWatcher(exporter: exporter, guest: "host")
            // 500 calls over 25 s: one every 50 ms, so a good share of them land during a poll
            // and the worst case (a call queued behind a whole poll) is seen.
            let result = try await CoTenant.calls(socket: agent.socketPath, calls: 500, seconds: 25)
            let checks = await watcher.stop()
            print("co-tenant vs real qemu-ga, exporter polling every 1 s: \(result.answered)/\(result.calls) answered in "
                  + "\(result.elapsed_seconds) s; latency p50 \(result.latency_ms.p50 ?? -1) ms, p99 \(result.latency_ms.p99 ?? -1) ms, "
                  + "max \(result.latency_ms.max ?? -1) ms (goal: under 100 ms); polls during the run \(checks.polls)")
            #expect(result.answered == result.calls, "unanswered: \(result.failures.prefix(5).map { "\($0.command): \($0.error)" })")
            #expect(checks.polls >= 20, "the exporter kept polling: \(checks.polls) polls in 25 s")
            #expect(checks.incomplete.isEmpty, "polls without complete data: \(checks.incomplete.prefix(5))")
        }
    }

    /// A backup tool freezes the guest through the agent, snapshots for 6 s, and thaws. The
    /// exporter keeps polling all along, reports the freeze, sends nothing a frozen agent
    /// refuses, and leaves the channel free so the thaw gets through at once. (The fault agent:
    /// a real freeze would freeze this machine.)
    @Test(.timeLimit(.minutes(2)))
    func backupFreezeAndThawGetThroughWhileTheExporterPolls() async throws {
        let directory = try TemporaryDirectory.make(prefix: "qga-backup")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let refused = Mutex<[String]>([])
        var configuration = SimulatedFleet.Configuration(guestCount: 1, directory: directory)
        configuration.onEvent = { event in
            if event.kind == .command, event.result?.contains("frozen") == true {
                refused.withLock { $0.append(event.command ?? "?") }
            }
        }
        let fleet = try await SimulatedFleet.start(configuration)
        let socket = fleet.socketPath(ofGuest: 1)
        let guest = fleet.guestName(1)
        try await RunningExporter.with(guests: ["\(guest)=unix:\(socket)"], interval: .seconds(1)) { exporter in
            #expect(await exporter.wait(upTo: .seconds(10)) { $0.state(of: guest) == .up })
            let frozenSeen = Mutex(0)
            let watch = Task {
                while !Task.isCancelled {
                    if exporter.store.state(of: guest) == .frozen,
                       let families = exporter.store.families(named: guest),
                       families.contains(where: { family in
                           family.name == "qga_fsfreeze_status"
                               && family.samples.contains { $0.value == 1 && $0.labels.contains { $0.value == "frozen" } }
                       }) {
                        frozenSeen.withLock { $0 += 1 }
                    }
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            let backup = try await CoTenant.backup(socket: socket, frozenSeconds: 6)
            watch.cancel()
            print("backup through the shared socket: freeze \(backup.freeze.ms ?? -1) ms, thaw \(backup.thaw.ms ?? -1) ms, "
                  + "status after: \(backup.status_after); exporter reported frozen in \(frozenSeen.withLock { $0 }) checks")
            #expect(backup.freeze.ok, "freeze: \(backup.freeze.error ?? "")")
            #expect(backup.thaw.ok, "thaw: \(backup.thaw.error ?? "")")
            #expect(backup.status_after == "thawed")
            #expect(frozenSeen.withLock { $0 } >= 5, "the exporter reported the freeze while it lasted")
            #expect(refused.withLock { $0 }.isEmpty, "commands sent to the frozen agent: \(refused.withLock { $0 })")
            #expect(await exporter.wait(upTo: .seconds(5)) { $0.state(of: guest) == .up }, "back up once thawed")
        }
        try await fleet.stop()
    }

    /// Proxmox VE's `lock: backup`: the guest is not polled at all (not even connected to) and
    /// is reported paused, not down; once the lock is gone it is polled again.
    @Test func proxmoxBackupLockPausesPolling() async throws {
        let directory = try TemporaryDirectory.make(prefix: "qga-pve")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sockets = directory + "/run"
        let configs = directory + "/pve"
        try FileManager.default.createDirectory(atPath: configs, withIntermediateDirectories: true)
        let agent = try await FakeAgent.start { request in
            request.command == "guest-info"
                ? [.reply(json: #"{"version": "7.2.0", "supported_commands": [{"enabled": true, "name": "guest-get-timezone", "success-response": true}]}"#)]
                : request.command == "guest-get-timezone" ? [.reply(json: #"{"zone": "UTC", "offset": 0}"#)] : FakeAgent.standard(request)
        }
        defer { Task { await agent.stop() } }
        try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: sockets + "/101.qga", withDestinationPath: agent.socketPath)
        let vmConfig = configs + "/101.conf"
        try "boot: order=scsi0\nlock: backup\nname: web\n\n[snap1]\nlock: snapshot\n".write(toFile: vmConfig, atomically: true, encoding: .utf8)
        let yaml = """
            discovery:
              - glob: \(sockets)/*.qga
                proxmox_config_dir: \(configs)
            """
        try await RunningExporter.with(configYAML: yaml, interval: .milliseconds(300)) { exporter in
            #expect(await exporter.wait(upTo: .seconds(10)) { $0.state(of: "101") == .paused })
            try await Task.sleep(for: .seconds(1))
            #expect(agent.connectionCount == 0, "a locked guest's agent is left alone")
            let paused = try #require(exporter.store.report(named: "101"))
            #expect(paused.pausedFor == "backup")
            let families = try #require(exporter.store.families(named: "101"))
            #expect(families.contains { $0.name == "qga_poll_paused" && $0.samples.first?.value == 1 })
            #expect(!families.contains { $0.name == "qga_up" }, "paused is neither up nor down")
            let metrics = try await HTTP.get(exporter.url("/metrics"))
            #expect(metrics.text.contains(#"qga_poll_paused{guest="101",reason="backup"} 1"#))

            // vzdump is done: the lock line goes, the guest is polled again.
            try "boot: order=scsi0\nname: web\n\n[snap1]\nlock: snapshot\n".write(toFile: vmConfig, atomically: true, encoding: .utf8)
            #expect(await exporter.wait(upTo: .seconds(10)) { $0.state(of: "101") == .up })
            #expect(agent.connectionCount > 0)
        }
    }

    @Test func proxmoxLockIsReadFromTheCurrentSettingsOnly() {
        #expect(ProxmoxLock.lock(inConfig: "cores: 2\nlock: backup\n") == "backup")
        #expect(ProxmoxLock.lock(inConfig: "cores: 2\n\n[before-upgrade]\nlock: snapshot\n") == nil)
        #expect(ProxmoxLock.lock(inConfig: "lock:   migrate \ncores: 2\n") == "migrate")
        #expect(ProxmoxLock.pausingLock(configPath: "/nonexistent/101.conf") == nil)
        #expect(GuestDiscovery.proxmoxConfig(in: "/etc/pve/qemu-server", socket: "/var/run/qemu-server/101.qga")
                == "/etc/pve/qemu-server/101.conf")
    }
}

/// Checks every new poll of one guest while a test runs: up, and every collector succeeded.
final class CompletenessWatcher: Sendable {
    private let task: Task<(polls: Int, incomplete: [String]), Never>

    init(exporter: RunningExporter, guest: String) {
        task = Task {
            var lastPoll: Double?
            var polls = 0
            var incomplete: [String] = []
            while !Task.isCancelled {
                if let report = exporter.store.report(named: guest), let time = report.lastPollUnixTime, time != lastPoll {
                    lastPoll = time
                    polls += 1
                    let failed = exporter.store.families(named: guest)?.first { $0.name == "qga_scrape_collector_success" }?.samples
                        .filter { $0.value != 1 }.compactMap { $0.labels.first { $0.name == "collector" }?.value } ?? ["no collector data"]
                    if report.state != .up || !failed.isEmpty {
                        incomplete.append("\(report.state.rawValue) \(report.lastError ?? "") \(failed)")
                    }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (polls, incomplete)
        }
    }

    func stop() async -> (polls: Int, incomplete: [String]) {
        task.cancel()
        return await task.value
    }
}
