import Foundation
import QGAMetrics
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// The exporter against a real Linux VM (QEMU under TCG, qemu-ga 7.2 inside on virtio-serial,
/// the host side a QEMU chardev unix socket: the production path), followed through what guests
/// do for months: booting before their agent runs, an agent killed and restarted, another
/// client holding the channel, a power-off and a new start of the same VM, and a co-tenant
/// sharing the channel as Proxmox VE's tools do. Two boots in all.
@Suite(.serialized) struct RealVMTests {
    static let guest = "vm"
    /// How long each step took, printed at the end (figures for docs/reliability.md).
    private let steps = StepClock()

    @Test(.enabled(if: TestVM.qemuRuns, "qemu-system-x86_64 cannot run on this machine (scripts/install-test-deps installs qemu-system-x86)"),
          .timeLimit(.minutes(6)))
    func exporterFollowsARealVMThroughBootAgentCrashBusyChannelAndPowerCycle() async throws {
        let vm = try await TestVM.make()
        do {
            // The agent starts 15 s after boot; a killed agent comes back after 6 s.
            try await vm.boot(agentDelay: 15, restartDelay: 6)
            steps.mark("start")
            try await RunningExporter.with(guests: ["\(Self.guest)=unix:\(vm.socketPath)"],
                                           interval: .seconds(1), timeout: .seconds(2)) { exporter in
                let recorder = PollRecorder(store: exporter.store, guest: Self.guest)
                try await bootingGuestIsDownThenUpWithItsOwnDevices(exporter, vm)
                // A few polls in a row, so counters are compared across polls of one boot.
                #expect(await poll(upTo: .seconds(20)) { recorder.polls.suffix(3).allSatisfy { $0.state == .up } })
                try await killedAgentIsDetectedByDeadlineAndRecovers(exporter)
                try await secondClientHoldingTheSocketGivesAClearBusyState(exporter, vm)
                let beforePowerOff = try #require(recorder.polls.last { $0.state == .up })
                try await powerOffIsFollowed(exporter, vm)
                let secondBootStarted = UnixTime.now()
                try await vm.boot(agentDelay: 0)
                steps.mark("second boot started")
                try await newStartOfTheSameVMIsFollowed(exporter, before: beforePowerOff)
                #expect(await poll(upTo: .seconds(20)) { recorder.polls.suffix(3).allSatisfy { $0.state == .up } })
                try await coTenantSharesTheChardevSocket(exporter, vm)
                recorder.stop()
                checkEveryPollConsistent(recorder.polls, secondBootStarted: secondBootStarted)
                print("vm-timings: " + steps.summary)
            }
        } catch {
            Issue.record("console of the VM:\n\(vm.consoleLog)")
            await vm.destroy()
            throw error
        }
        await vm.destroy()
    }

    // MARK: Steps

    /// (1) Exporter started before the agent: down without hanging /metrics, then up with the
    /// VM's own disk, CPUs, filesystem and interface.
    private func bootingGuestIsDownThenUpWithItsOwnDevices(_ exporter: RunningExporter, _ vm: TestVM) async throws {
        #expect(await exporter.wait(upTo: .seconds(15)) { $0.state(of: Self.guest) == .down })
        steps.mark("boot -> down (silent socket)")
        let report = try #require(exporter.store.report(named: Self.guest))
        #expect(report.errorKind == "timeout", "a booting guest accepts the connection and stays silent: \(report.lastError ?? "")")
        #expect(!vm.consoleLog.contains("starting qemu-ga on"), "the agent must not have started yet:\n\(vm.consoleLog)")
        let metrics = try await get(exporter.url("/metrics")).text
        #expect(metrics.contains(#"qga_up{guest="vm"} 0"#))
        #expect(metrics.contains(#"qga_agent_error_info{guest="vm",kind="timeout"} 1"#))
        #expect(try await get(exporter.url("/")).text.contains("down: timeout"))

        #expect(await exporter.wait(upTo: .seconds(120)) { $0.state(of: Self.guest) == .up }, "the guest comes up once its agent runs")
        steps.mark("down -> up (agent started)")
        let families = try #require(exporter.store.families(named: Self.guest))
        #expect(families.labelValues("qga_disk_reads_completed", label: "device") == ["vda"])
        #expect(families.labelValues("qga_cpu_seconds", label: "cpu") == ["0", "1"])
        #expect(families.value("qga_vcpus_online") == 2)
        #expect(families.value("qga_filesystem_size_bytes", ["mountpoint": "/data", "fstype": "ext4"]) ?? 0 > 50_000_000,
                "the 64 MiB data disk is mounted at /data")
        #expect(families.labelValues("qga_network_receive_bytes", label: "device").contains("eth0"))
        #expect(families.labelValues("qga_hostname", label: "hostname") == ["qga-test-vm"])
        #expect(families.labelValues("qga_os", label: "id") == ["qga-test-vm"])
        let body = try await get(exporter.url("/metrics")).text
        #expect(body.contains(#"qga_up{guest="vm"} 1"#))
        #expect(!body.contains(#"qga_agent_error_info{guest="vm""#), "no error info while up")
    }

    /// (2) qemu-ga killed inside the guest: invisible on the host socket, so only the deadline
    /// finds it; the restarted agent is picked up on the same connection.
    private func killedAgentIsDetectedByDeadlineAndRecovers(_ exporter: RunningExporter) async throws {
        let client = try #require(exporter.exporter.fleet.client(for: Self.guest))
        let pidBefore = try await guestShell(client, "cat /run/qemu-ga.pid")
        // The pause lets the agent answer guest-exec before it dies.
        _ = try await client.exec(path: "/bin/sh", arguments: ["-c", "sleep 0.5; kill -KILL $(cat /run/qemu-ga.pid)"])
        steps.mark("kill sent")

        #expect(await exporter.wait(upTo: .seconds(20)) { $0.state(of: Self.guest) == .down }, "a dead agent is found by the deadline")
        steps.mark("agent killed -> down (deadline)")
        let down = try #require(exporter.store.report(named: Self.guest))
        #expect(down.errorKind == "timeout", "\(down.lastError ?? "")")
        #expect(try await get(exporter.url("/metrics")).text.contains(#"qga_up{guest="vm"} 0"#))

        #expect(await exporter.wait(upTo: .seconds(60)) { $0.state(of: Self.guest) == .up }, "the restarted agent is picked up")
        steps.mark("down -> up (agent restarted)")
        let pidAfter = try await guestShell(client, "cat /run/qemu-ga.pid")
        #expect(pidAfter != pidBefore, "a new agent process answers (\(pidBefore) -> \(pidAfter))")
        let families = try #require(exporter.store.families(named: Self.guest))
        #expect(families.labelValues("qga_hostname", label: "hostname") == ["qga-test-vm"])
        #expect(families.labelValues("qga_cpu_seconds", label: "cpu") == ["0", "1"])
    }

    /// (4) A second client holds the one agent channel (an operator with socat): it gets the
    /// channel at once, since the exporter holds nothing between polls. While it holds it, the
    /// exporter's connection waits in QEMU's queue for the connect deadline, so the guest is down
    /// with `timeout` (and says why), never a hang; once released, the exporter is back.
    private func secondClientHoldingTheSocketGivesAClearBusyState(_ exporter: RunningExporter, _ vm: TestVM) async throws {
        let holder = try HoldingClient(socketPath: vm.socketPath, scratch: vm.directory)
        #expect(await poll(upTo: .seconds(10)) { holder.isSynced }, "the second client is served at once, between polls")
        steps.mark("holder synced")

        #expect(await exporter.wait(upTo: .seconds(15)) { $0.state(of: Self.guest) == .down })
        steps.mark("holder synced -> down (busy)")
        let busy = try #require(exporter.store.report(named: Self.guest))
        #expect(busy.errorKind == "timeout")
        #expect(busy.lastError?.contains("agent busy") == true, "the report says why: \(busy.lastError ?? "")")
        let landing = try await get(exporter.url("/")).text
        #expect(landing.contains("down: timeout") && landing.contains("agent busy"))
        #expect(try await get(exporter.url("/metrics")).text.contains(#"qga_agent_error_info{guest="vm",kind="timeout"} 1"#))

        try await offThePool { holder.release() }
        steps.mark("holder released")
        #expect(await exporter.wait(upTo: .seconds(30)) { $0.state(of: Self.guest) == .up }, "the channel is the exporter's again")
        steps.mark("holder released -> up")
    }

    /// (6) The Proxmox topology: a co-tenant modelled on Proxmox VE's calls makes 100 calls in
    /// 20 s through QEMU's chardev socket while the exporter polls every second. All answered,
    /// and the exporter's data stays complete.
    private func coTenantSharesTheChardevSocket(_ exporter: RunningExporter, _ vm: TestVM) async throws {
        let watcher = CompletenessWatcher(exporter: exporter, guest: Self.guest)
        let result = try await CoTenant.calls(socket: vm.socketPath, calls: 100, seconds: 20)
        let checks = await watcher.stop()
        steps.mark("co-tenant: 100 calls in 20 s")
        print("co-tenant through the VM's QEMU chardev socket: \(result.answered)/\(result.calls) answered; latency p50 "
              + "\(result.latency_ms.p50 ?? -1) ms, p99 \(result.latency_ms.p99 ?? -1) ms, max \(result.latency_ms.max ?? -1) ms; "
              + "exporter polls \(checks.polls)")
        #expect(result.answered == result.calls, "unanswered: \(result.failures.prefix(5).map { "\($0.command): \($0.error)" })")
        #expect(checks.polls >= 10, "the exporter kept polling: \(checks.polls) polls in 20 s")
        #expect(checks.incomplete.isEmpty, "polls without complete data: \(checks.incomplete.prefix(5))")
    }

    /// (3) Power-off through the agent: EOF, QEMU exits and deletes the socket.
    private func powerOffIsFollowed(_ exporter: RunningExporter, _ vm: TestVM) async throws {
        let client = try #require(exporter.exporter.fleet.client(for: Self.guest))
        try await client.call(.shutdown, ShutdownArguments())
        steps.mark("guest-shutdown sent")
        #expect(await exporter.wait(upTo: .seconds(30)) { $0.report(named: Self.guest)?.errorKind == "socketNotFound" })
        steps.mark("guest-shutdown -> socketNotFound")
        #expect(!FileManager.default.fileExists(atPath: vm.socketPath), "QEMU removed its socket")
        #expect(await poll(upTo: .seconds(10)) { !vm.isRunning }, "QEMU exited")
        let body = try await get(exporter.url("/metrics")).text
        #expect(body.contains(#"qga_up{guest="vm"} 0"#))
        #expect(body.contains(#"qga_agent_error_info{guest="vm",kind="socketNotFound"} 1"#))
        #expect(!body.contains(#"qga_cpu_seconds_total{guest="vm""#), "a down guest has no data series")
    }

    /// (3) The same VM (same disk) started again: up again, counters start over.
    private func newStartOfTheSameVMIsFollowed(_ exporter: RunningExporter, before: PollRecorder.Poll) async throws {
        #expect(await exporter.wait(upTo: .seconds(60)) { $0.state(of: Self.guest) == .up }, "the new start is followed")
        steps.mark("new start -> up")
        let after = PollRecorder.Poll(try #require(exporter.store.report(named: Self.guest)),
                                      families: exporter.store.families(named: Self.guest) ?? [])
        let (cpuBefore, cpuAfter) = (try #require(before.cpuSeconds), try #require(after.cpuSeconds))
        #expect(cpuAfter < cpuBefore, "CPU time restarts with the boot (\(cpuBefore) s before, \(cpuAfter) s after)")
        let client = try #require(exporter.exporter.fleet.client(for: Self.guest))
        #expect(try await guestShell(client, "cat /data/boot-count") == "2", "the same data disk, booted a second time")
    }

    // MARK: Checks and helpers

    /// No stale reply was ever used: every successful poll shows the VM's identity, every
    /// collector succeeded, and counters never went backwards within one boot.
    private func checkEveryPollConsistent(_ polls: [PollRecorder.Poll], secondBootStarted: Double) {
        let up = polls.filter { $0.state == .up }
        for poll in up {
            #expect(poll.hostname == "qga-test-vm" && poll.cpus == ["0", "1"], "identity at \(poll.finishedAt)")
            #expect(poll.failedCollectors.isEmpty, "collectors failed at \(poll.finishedAt): \(poll.failedCollectors.sorted())")
        }
        for boot in [up.filter { $0.finishedAt < secondBootStarted }, up.filter { $0.finishedAt >= secondBootStarted }] {
            #expect(boot.count >= 3, "enough polls of each boot recorded (\(boot.count))")
            for (earlier, later) in zip(boot, boot.dropFirst()) {
                #expect((later.cpuSeconds ?? 0) >= (earlier.cpuSeconds ?? 0), "CPU time went backwards at \(later.finishedAt)")
                #expect((later.vdaReads ?? 0) >= (earlier.vdaReads ?? 0), "vda reads went backwards at \(later.finishedAt)")
            }
        }
    }

    /// Runs `command` with the guest's shell through guest-exec; its trimmed stdout.
    private func guestShell(_ client: AgentClient, _ command: String) async throws -> String {
        let started = try await client.exec(path: "/bin/sh", arguments: ["-c", command], captureOutput: .flag(true))
        for _ in 0..<100 {
            let status = try await client.execStatus(pid: started.pid)
            if status.exited {
                return String(decoding: status.output ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw VMError(message: "\(command) did not finish in the guest")
    }

    private func get(_ url: String) async throws -> HTTPResponse {
        try await HTTP.get(url, timeout: 5)
    }

    private func poll(upTo limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }
}

/// Time between marks, for the step figures the test prints.
private final class StepClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now
    private var laps: [String] = []

    func mark(_ label: String) {
        lock.withLock {
            let now = ContinuousClock.now
            let seconds = Double((now - last).components.attoseconds) / 1e18 + Double((now - last).components.seconds)
            laps.append("\(label) \(String(format: "%.1f", seconds)) s")
            last = now
        }
    }

    var summary: String { lock.withLock { laps.dropFirst().joined(separator: "; ") } }
}
