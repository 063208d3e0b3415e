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
        try await vm.use {
            // The agent starts 15 s after boot; a killed agent comes back after 6 s.
            try await vm.boot(agentDelay: 15, restartDelay: 6)
            steps.mark("start")
            try await RunningExporter.with(guests: ["\(Self.guest)=unix:\(vm.socketPath)"],
                                           interval: .seconds(1), timeout: .seconds(2)) { exporter in
                let walk = VMWalk(exporter: exporter, guest: Self.guest, steps: steps)
                let recorder = PollRecorder(store: exporter.store, guest: Self.guest)
                try await bootingGuestIsDownThenUpWithItsOwnDevices(walk, vm)
                #expect(await walk.upForPolls(3, of: recorder))
                try await killedAgentIsDetectedByDeadlineAndRecovers(walk)
                try await secondClientHoldingTheSocketGivesAClearBusyState(walk, vm)
                let beforePowerOff = try #require(recorder.polls.last { $0.state == .up })
                try await powerOffIsFollowed(walk, vm)
                let secondBootStarted = UnixTime.now()
                let qemuStarted = ContinuousClock.now
                try await vm.boot(agentDelay: 0)
                steps.mark("second boot started")
                try await walk.newStartIsFollowed(before: beforePowerOff, started: qemuStarted, vcpus: 2, within: .seconds(60))
                #expect(try await walk.shell("cat /data/boot-count") == "2", "the same data disk, booted a second time")
                #expect(await walk.upForPolls(3, of: recorder))
                try await walk.coTenantSharesTheChardevSocket(vm.socketPath)
                recorder.stop()
                walk.checkEveryPollConsistent(recorder.polls, hostname: "qga-test-vm", cpus: ["0", "1"],
                                              secondBootStarted: secondBootStarted)
                print("vm-timings: " + steps.summary)
            }
        }
    }

    // MARK: Steps

    /// (1) Exporter started before the agent: down without hanging /metrics, then up with the
    /// VM's own disk, CPUs, filesystem and interface.
    private func bootingGuestIsDownThenUpWithItsOwnDevices(_ walk: VMWalk, _ vm: TestVM) async throws {
        let exporter = walk.exporter
        #expect(await exporter.wait(upTo: .seconds(15)) { $0.state(of: Self.guest) == .down })
        steps.mark("boot -> down (silent socket)")
        let report = try walk.report()
        #expect(report.errorKind == "timeout", "a booting guest accepts the connection and stays silent: \(report.lastError ?? "")")
        #expect(!vm.consoleLog.contains("starting qemu-ga on"), "the agent must not have started yet:\n\(vm.consoleLog)")
        let metrics = try await walk.get("/metrics").text
        #expect(metrics.contains(walk.series("qga_up", "0")))
        #expect(metrics.contains(walk.series("qga_agent_error_info", "1", labels: #"kind="timeout""#)))
        #expect(try await walk.get("/").text.contains("down: timeout"))

        #expect(await exporter.wait(upTo: .seconds(120)) { $0.state(of: Self.guest) == .up }, "the guest comes up once its agent runs")
        steps.mark("down -> up (agent started)")
        let families = try walk.families()
        #expect(families.labelValues("qga_disk_reads_completed", label: "device") == ["vda"])
        #expect(families.labelValues("qga_cpu_seconds", label: "cpu") == ["0", "1"])
        #expect(families.value("qga_vcpus_online") == 2)
        #expect(families.value("qga_filesystem_size_bytes", ["mountpoint": "/data", "fstype": "ext4"]) ?? 0 > 50_000_000,
                "the 64 MiB data disk is mounted at /data")
        #expect(families.labelValues("qga_network_receive_bytes", label: "device").contains("eth0"))
        #expect(families.labelValues("qga_hostname", label: "hostname") == ["qga-test-vm"])
        #expect(families.labelValues("qga_os", label: "id") == ["qga-test-vm"])
        let body = try await walk.get("/metrics").text
        #expect(body.contains(walk.series("qga_up", "1")))
        #expect(!body.contains(#"qga_agent_error_info{guest="vm""#), "no error info while up")
    }

    /// (2) qemu-ga killed inside the guest: invisible on the host socket, so only the deadline
    /// finds it; the restarted agent is picked up on the same connection.
    private func killedAgentIsDetectedByDeadlineAndRecovers(_ walk: VMWalk) async throws {
        let exporter = walk.exporter
        let pidBefore = try await walk.shell("cat /run/qemu-ga.pid")
        // The pause lets the agent answer guest-exec before it dies.
        _ = try await walk.client.exec(path: "/bin/sh", arguments: ["-c", "sleep 0.5; kill -KILL $(cat /run/qemu-ga.pid)"])
        steps.mark("kill sent")

        #expect(await exporter.wait(upTo: .seconds(20)) { $0.state(of: Self.guest) == .down }, "a dead agent is found by the deadline")
        steps.mark("agent killed -> down (deadline)")
        let down = try walk.report()
        #expect(down.errorKind == "timeout", "\(down.lastError ?? "")")
        #expect(try await walk.get("/metrics").text.contains(walk.series("qga_up", "0")))

        #expect(await exporter.wait(upTo: .seconds(60)) { $0.state(of: Self.guest) == .up }, "the restarted agent is picked up")
        steps.mark("down -> up (agent restarted)")
        let pidAfter = try await walk.shell("cat /run/qemu-ga.pid")
        #expect(pidAfter != pidBefore, "a new agent process answers (\(pidBefore) -> \(pidAfter))")
        let families = try walk.families()
        #expect(families.labelValues("qga_hostname", label: "hostname") == ["qga-test-vm"])
        #expect(families.labelValues("qga_cpu_seconds", label: "cpu") == ["0", "1"])
    }

    /// (4) A second client holds the one agent channel (an operator with socat): it gets the
    /// channel at once, since the exporter holds nothing between polls. While it holds it, the
    /// exporter's connection waits in QEMU's queue for the connect deadline, so the guest is down
    /// with `timeout` (and says why), never a hang; once released, the exporter is back.
    private func secondClientHoldingTheSocketGivesAClearBusyState(_ walk: VMWalk, _ vm: TestVM) async throws {
        let exporter = walk.exporter
        let holder = try HoldingClient(socketPath: vm.socketPath, scratch: vm.directory)
        #expect(await eventually(within: .seconds(10)) { holder.isSynced }, "the second client is served at once, between polls")
        steps.mark("holder synced")

        #expect(await exporter.wait(upTo: .seconds(15)) { $0.state(of: Self.guest) == .down })
        steps.mark("holder synced -> down (busy)")
        let busy = try walk.report()
        #expect(busy.errorKind == "timeout")
        #expect(busy.lastError?.contains("agent busy") == true, "the report says why: \(busy.lastError ?? "")")
        let landing = try await walk.get("/").text
        #expect(landing.contains("down: timeout") && landing.contains("agent busy"))
        #expect(try await walk.get("/metrics").text.contains(walk.series("qga_agent_error_info", "1", labels: #"kind="timeout""#)))

        try await offThePool { holder.release() }
        steps.mark("holder released")
        #expect(await exporter.wait(upTo: .seconds(30)) { $0.state(of: Self.guest) == .up }, "the channel is the exporter's again")
        steps.mark("holder released -> up")
    }

    /// (3) Power-off through the agent (`guest-shutdown`): EOF, QEMU exits and deletes the socket.
    private func powerOffIsFollowed(_ walk: VMWalk, _ vm: TestVM) async throws {
        try await walk.client.call(.shutdown, ShutdownArguments())
        steps.mark("guest-shutdown sent")
        try await walk.powerOffIsFollowed(vm, asked: "guest-shutdown", within: .seconds(30))
    }
}
