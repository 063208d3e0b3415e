import Foundation
import QGAMetrics
import QGATestSupport
import Testing

@testable import QGAExporter

/// The exporter against the guest operators run: a Debian 12 VM with systemd (packaging/vm, under
/// TCG), whose agent is Debian's `qemu-guest-agent` package, started by Debian's udev rule when
/// the virtio port appears. The exporter runs in this process and polls it through QEMU's
/// chardev socket, as on plain QEMU or Proxmox VE. One walk, two boots: started before the VM
/// exists; the VM booting (silent socket) until systemd starts the agent; the agent restarted
/// with `systemctl restart`, then killed and restarted by its unit's `Restart=always`; a
/// co-tenant sharing the channel; the agent upgraded in place to the newest Debian has;
/// `systemctl poweroff`; the same disk booted again, with the new agent.
///
/// RealVMTests walks the busybox guest of Tests/VM beside this: it boots in seconds, and covers
/// what this guest cannot show, an agent that stays dead for seconds (found by the deadline
/// alone) and a second client holding the channel.
@Suite(.serialized) struct DebianGuestTests {
    static let guest = "debian"
    /// build-image's /etc/hostname.
    static let hostname = "qga-vm"
    static let cpus: Set<String> = ["0", "1"]
    /// How long each step took, printed at the end (figures for packaging/vm/README.md).
    private let steps = StepClock()

    @Test(.enabled(if: DebianVM.isRoot, "needs root: packaging/vm/build-image builds the Debian image with debootstrap"),
          .enabled(if: DebianVM.qemuRuns, "qemu-system-x86_64 cannot run on this machine (scripts/install-test-deps installs qemu-system-x86)"),
          .timeLimit(.minutes(15)))
    func exporterFollowsDebiansOwnAgentThroughBootRestartsPowerCycleAndACoTenant() async throws {
        steps.mark("start")
        // About 3.5 minutes the first time on a fresh machine (debootstrap), well under a second once cached.
        let vm = try await DebianVM.make()
        steps.mark("build-image")
        try await vm.use {
            // The shipped config's timeout (5 s; connect and sync have their own 1 s), polled every second.
            try await RunningExporter.with(guests: ["\(Self.guest)=unix:\(vm.socketPath)"],
                                           interval: .seconds(1), timeout: .seconds(5)) { exporter in
                let walk = VMWalk(exporter: exporter, guest: Self.guest, steps: steps)
                let recorder = PollRecorder(store: exporter.store, guest: Self.guest)
                #expect(await exporter.wait(upTo: .seconds(10)) { $0.report(named: Self.guest)?.errorKind == "socketNotFound" },
                        "no VM yet: no socket")
                steps.mark("exporter started -> socketNotFound")

                try await vm.boot()
                steps.mark("QEMU started")
                try await bootingGuestIsDownThenUpWithDebiansData(walk, vm)
                #expect(await walk.upForPolls(3, of: recorder))
                try await agentRestartIsFollowed(walk, recorder)
                try await killedAgentIsRestartedBySystemd(walk, recorder)
                try await walk.coTenantSharesTheChardevSocket(vm.socketPath)
                try await agentUpgradeIsFollowed(walk, vm, recorder)

                let firstBootID = try await walk.shell("cat /proc/sys/kernel/random/boot_id | tee /var/lib/qga-test-first-boot")
                let beforePowerOff = try #require(recorder.polls.last { $0.state == .up })
                try await poweroffInsideIsFollowed(walk, vm)

                let secondBootStarted = UnixTime.now()
                let qemuStarted = ContinuousClock.now
                try await vm.boot()
                steps.mark("second boot started")
                #expect(await exporter.wait(upTo: .seconds(15)) { $0.report(named: Self.guest)?.errorKind == "timeout" },
                        "booting again: the socket is back, and silent")
                steps.mark("second boot -> down (timeout)")
                try await walk.newStartIsFollowed(before: beforePowerOff, started: qemuStarted, vcpus: Self.cpus.count,
                                                  within: .seconds(240))
                let boots = try await walk.shell("cat /var/lib/qga-test-first-boot /proc/sys/kernel/random/boot_id")
                    .split(separator: "\n").map(String.init)
                #expect(boots.count == 2 && boots[0] == firstBootID && boots[1] != firstBootID,
                        "the same disk, booted a second time: \(boots) (first boot \(firstBootID))")
                #expect(await walk.upForPolls(3, of: recorder))
                let versionAfterBoot = try walk.families().labelValues("qga_agent", label: "version")
                #expect(versionAfterBoot.count == 1 && versionAfterBoot.allSatisfy { $0.hasPrefix("10.") },
                        "the upgraded agent, started by systemd at boot: \(versionAfterBoot)")
                recorder.stop()
                walk.checkEveryPollConsistent(recorder.polls, hostname: Self.hostname, cpus: Self.cpus,
                                              secondBootStarted: secondBootStarted)
                print("debian-vm-timings: " + steps.summary)
            }
        }
    }

    // MARK: Steps

    /// (1) Started right at boot: QEMU's chardev accepts, nobody answers while Debian boots, so
    /// the guest is down with `timeout`; once systemd has started Debian's agent (for the port,
    /// through the package's udev rule) it is up with the VM's own data.
    private func bootingGuestIsDownThenUpWithDebiansData(_ walk: VMWalk, _ vm: DebianVM) async throws {
        let exporter = walk.exporter
        #expect(await exporter.wait(upTo: .seconds(15)) { $0.report(named: Self.guest)?.errorKind == "timeout" })
        steps.mark("QEMU started -> down (timeout)")
        #expect(walk.state() == .down)
        #expect(!Self.agentStarted(in: vm.consoleLog), "Debian's agent must not have started yet:\n\(vm.consoleLog)")
        let metrics = try await walk.get("/metrics").text
        #expect(metrics.contains(walk.series("qga_up", "0")))
        #expect(metrics.contains(walk.series("qga_agent_error_info", "1", labels: #"kind="timeout""#)))
        #expect(try await walk.get("/").text.contains("down: timeout"))

        #expect(await exporter.wait(upTo: .seconds(240)) { $0.state(of: Self.guest) == .up }, "up once Debian's agent runs")
        steps.mark("down -> up (systemd started qemu-guest-agent)")
        // systemd's own record, not the console: under load the serial console lags behind.
        let started = try await walk.shell("journalctl -b -u qemu-guest-agent -o cat --no-pager | grep -c '^Started qemu-guest-agent.service' || true")
        #expect(started == "1", "systemd started the unit once this boot (journal: \(started) lines)")
        let families = try walk.families()
        #expect(families.labelValues("qga_hostname", label: "hostname") == [Self.hostname])
        #expect(families.labelValues("qga_os", label: "id") == ["debian"])
        #expect(families.labelValues("qga_os", label: "version_id") == ["12"])
        let agentVersions = families.labelValues("qga_agent", label: "version")
        #expect(agentVersions.count == 1 && agentVersions.allSatisfy { $0.hasPrefix("7.2.") },
                "Debian 12's qemu-guest-agent is 7.2: \(agentVersions)")
        #expect(families.labelValues("qga_disk_reads_completed", label: "device") == ["vda"])
        #expect(families.labelValues("qga_cpu_seconds", label: "cpu") == Self.cpus)
        #expect(families.value("qga_vcpus_online") == 2)
        #expect(families.value("qga_filesystem_size_bytes", ["mountpoint": "/", "fstype": "ext4"]) ?? 0 > 1_000_000_000,
                "the root file system is the image's ext4 (its tree plus 768 MB)")
        let body = try await walk.get("/metrics").text
        #expect(body.contains(walk.series("qga_up", "1")))
        #expect(!body.contains("qga_agent_error_info{guest=\"\(Self.guest)\""), "no error info while up")

        let unit = try await agentUnit(walk)
        #expect(unit["UnitFileState"] == "static" && unit["WantedBy"]?.contains("x2dports-vport") == true,
                "Debian's unit, started only for the port by the package's udev rule: \(unit)")
        #expect(unit["Restart"] == "always" && unit["RestartUSec"] == "0", "Debian's unit restarts the agent at once: \(unit)")
    }

    /// (2) `systemctl restart qemu-guest-agent` inside the guest. It takes the agent away for a
    /// fraction of a second: at most the polls in flight then fail (by their deadline: nothing
    /// on the host's socket changes), and the next poll is answered by the new process.
    private func agentRestartIsFollowed(_ walk: VMWalk, _ recorder: PollRecorder) async throws {
        let before = try await agentUnit(walk)
        let asked = UnixTime.now()
        // In a second, from a transient unit of its own: guest-exec's children live in the
        // agent's cgroup, and the restart would kill them before guest-exec could report.
        _ = try await walk.shell("systemd-run --on-active=1 --timer-property=AccuracySec=100ms systemctl restart qemu-guest-agent")
        steps.mark("systemctl restart asked")
        try await newAgentAnswers(walk, recorder, replacing: before, asked: asked, what: "systemctl restart")
    }

    /// (2) The agent killed (`kill -KILL` of the unit's MainPID, as an OOM kill or a crash would):
    /// Debian's unit has `Restart=always` with no delay, so systemd starts a new agent at once
    /// (one more in `NRestarts`), and the exporter sees at most a short gap.
    private func killedAgentIsRestartedBySystemd(_ walk: VMWalk, _ recorder: PollRecorder) async throws {
        let before = try await agentUnit(walk)
        let pid = try #require(before["MainPID"])
        let asked = UnixTime.now()
        _ = try await walk.shell("systemd-run --on-active=1 --timer-property=AccuracySec=100ms /bin/kill -KILL \(pid)")
        steps.mark("kill -KILL asked")
        let after = try await newAgentAnswers(walk, recorder, replacing: before, asked: asked, what: "kill -KILL")
        #expect(Int(after["NRestarts"] ?? "") == (Int(before["NRestarts"] ?? "") ?? -1) + 1,
                "systemd restarted it (Restart=always): NRestarts \(before["NRestarts"] ?? "?") -> \(after["NRestarts"] ?? "?")")
    }

    /// (3) Debian's agent upgraded in place to the newest Debian has for bookworm
    /// (bookworm-backports, 10.0), as an `apt upgrade` would: the package's postinst restarts the
    /// unit. Polls may fail meanwhile, by their deadline only; then the exporter reads the new
    /// version from `guest-info` (re-asked every 20 polls) and adds what 10.0 offers
    /// (`guest-get-load`).
    private func agentUpgradeIsFollowed(_ walk: VMWalk, _ vm: DebianVM, _ recorder: PollRecorder) async throws {
        let package = RealAgent.newestPackage
        try #require(FileManager.default.fileExists(atPath: package), "run scripts/install-newest-qemu-ga: \(package) is missing")
        try FileManager.default.copyItem(atPath: package, toPath: vm.directory + "/share/qemu-guest-agent-newest.deb")
        let before = try await agentUnit(walk)
        let asked = UnixTime.now()
        // From a transient unit: dpkg's postinst restarts the agent, which would end a child of
        // guest-exec (the agent's cgroup) in the middle of dpkg.
        _ = try await walk.shell("systemd-run --on-active=1 --timer-property=AccuracySec=100ms --unit=qga-test-upgrade "
                                 + "dpkg -i /mnt/share/qemu-guest-agent-newest.deb")
        steps.mark("dpkg -i asked")
        // The old agent's stop is systemd's and the agent's business: it may take up to the
        // unit's stop timeout (90 s), and the exporter can only see it as timeouts meanwhile.
        try await newAgentAnswers(walk, recorder, replacing: before, asked: asked, what: "upgrade (dpkg -i)",
                                  within: .seconds(180), maxFailed: nil)
        // What the guest's journal says of the agent and the upgrade meanwhile.
        print("journal of the upgrade:\n" + ((try? await walk.shell(
            "journalctl -u qemu-guest-agent -u qga-test-upgrade -o short-monotonic --no-pager | grep -v guest-exec | tail -n 30"))
            ?? "(unavailable)"))
        let installed = try await walk.shell("dpkg-query -W -f '${Version} ${db:Status-Status}' qemu-guest-agent")
        #expect(installed.hasPrefix("1:10.") && installed.hasSuffix(" installed"), "dpkg: \(installed)")
        let newVersion = await eventually(within: .seconds(60)) {
            guard let families = try? walk.families() else { return false }
            let versions = families.labelValues("qga_agent", label: "version")
            return versions.count == 1 && versions.first?.hasPrefix("10.") == true && families.value("qga_load1") != nil
        }
        #expect(newVersion, "the exporter reports 10.x and its load: \(String(describing: try? walk.families().labelValues("qga_agent", label: "version")))")
        steps.mark("upgrade -> exporter reports 10.x with load")
    }

    /// (4) `systemctl poweroff` inside the guest: systemd stops the agent among everything else,
    /// then QEMU exits and deletes its socket.
    private func poweroffInsideIsFollowed(_ walk: VMWalk, _ vm: DebianVM) async throws {
        _ = try await walk.shell("systemd-run --on-active=1 --timer-property=AccuracySec=100ms systemctl poweroff")
        steps.mark("systemctl poweroff asked")
        try await walk.powerOffIsFollowed(vm, asked: "systemctl poweroff", within: .seconds(120))
        #expect(vm.consoleLog.contains("reboot: Power down"), "the guest powered off:\n\(vm.consoleLog.suffix(2000))")
    }

    // MARK: Helpers

    /// Waits until an agent process other than `before`'s MainPID answers, then until the
    /// exporter has a good poll of it. Every poll that failed meanwhile failed by its deadline,
    /// and (`maxFailed`) there were few: a restart's stop and start take well under a second.
    @discardableResult
    private func newAgentAnswers(_ walk: VMWalk, _ recorder: PollRecorder, replacing before: [String: String],
                                 asked: Double, what: String, within limit: Duration = .seconds(60),
                                 maxFailed: Int? = 3) async throws -> [String: String] {
        var after = before
        let deadline = ContinuousClock.now + limit
        // The systemd-run timer fires a second after it was set: until then only the exporter
        // uses the channel, so the restart meets its polls, not this test's calls.
        try await Task.sleep(for: .milliseconds(1500))
        while after["MainPID"] == before["MainPID"] && ContinuousClock.now < deadline {
            // A call that meets the restart is lost with the old agent; ask again.
            if let unit = try? await agentUnit(walk) { after = unit }
            if after["MainPID"] == before["MainPID"] { try await Task.sleep(for: .milliseconds(500)) }
        }
        let answered = UnixTime.now()
        steps.mark("\(what) -> a new agent answers")
        #expect(after["MainPID"] != before["MainPID"] && after["MainPID"] != "0" && after["ActiveState"] == "active",
                "a new agent process: MainPID \(before["MainPID"] ?? "?") -> \(after["MainPID"] ?? "?") (\(after))")
        #expect(await eventually(within: .seconds(30)) { recorder.polls.contains { $0.finishedAt > answered && $0.state == .up } },
                "the exporter polls the new agent")
        steps.mark("\(what) -> exporter up")
        let upAgain = recorder.polls.first { $0.finishedAt > answered && $0.state == .up }?.finishedAt ?? .infinity
        let meanwhile = recorder.polls.filter { $0.finishedAt > asked && $0.finishedAt < upAgain }
        let failed = meanwhile.filter { $0.state != .up }
        print("\(what) of qemu-guest-agent: \(failed.count) of \(meanwhile.count) polls meanwhile failed "
              + "(\(failed.map { $0.errorKind ?? "?" })); asked to up again \(String(format: "%.1f", upAgain - asked)) s")
        #expect(failed.allSatisfy { $0.errorKind == "timeout" }, "a lost agent shows only by the deadline: \(failed.map(\.errorKind))")
        if let maxFailed { #expect(failed.count <= maxFailed, "at most a short gap: \(failed.count) failed polls") }
        return after
    }

    /// `systemctl show` of Debian's agent unit, read through the agent itself.
    private func agentUnit(_ walk: VMWalk) async throws -> [String: String] {
        let text = try await walk.shell("systemctl show -p MainPID -p NRestarts -p ActiveState -p Restart -p RestartUSec "
                                        + "-p UnitFileState -p WantedBy qemu-guest-agent")
        return Dictionary(text.split(separator: "\n").compactMap { line in
            line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
        }, uniquingKeysWith: { $1 })
    }

    /// Whether systemd printed on the console that it started the agent's unit (the line has
    /// colour codes between the words).
    private static func agentStarted(in console: String) -> Bool {
        console.split(separator: "\n").contains { $0.contains("Started") && $0.contains("qemu-guest-agent.service") }
    }
}
