import Foundation
import QGAMetrics
import QGAProtocol
import QGATestSupport
import Testing

@testable import QGAExporter

/// What both real-VM suites do with the in-process exporter polling one VM (RealVMTests: the
/// busybox guest of Tests/VM; DebianGuestTests: the Debian 12 guest of packaging/vm): the steps
/// that do not depend on how the guest starts its agent, and the checks over every recorded poll.
struct VMWalk {
    let exporter: RunningExporter
    /// The guest's name in the exporter (its `guest` label).
    let guest: String
    /// How long each step took, printed at the end (figures for docs/reliability.md).
    let steps: StepClock

    var client: AgentClient {
        get throws { try #require(exporter.exporter.fleet.client(for: guest)) }
    }

    func state() -> GuestReport.State? { exporter.store.state(of: guest) }

    func report() throws -> GuestReport { try #require(exporter.store.report(named: guest)) }

    func families() throws -> [MetricFamily] { try #require(exporter.store.families(named: guest)) }

    /// A series of this guest as it appears on /metrics, e.g. `series("qga_up", "0")`.
    func series(_ name: String, _ value: String, labels: String = "") -> String {
        "\(name){guest=\"\(guest)\"\(labels.isEmpty ? "" : "," + labels)} \(value)"
    }

    /// Runs `command` with the guest's shell through guest-exec (the exporter's own client, so it
    /// queues between polls); its trimmed stdout. Throws when it fails or does not finish.
    func shell(_ command: String, within limit: Duration = .seconds(30)) async throws -> String {
        let client = try client
        let started = try await client.exec(path: "/bin/sh", arguments: ["-c", command], captureOutput: .flag(true))
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let status = try await client.execStatus(pid: started.pid)
            if status.exited {
                let text = { (data: Data?) in String(decoding: data ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
                guard status.exitCode == 0 else {
                    throw VMError(message: "\(command) failed in the guest (exit \(status.exitCode ?? -1), signal \(status.signal ?? 0)): \(text(status.errorOutput))")
                }
                return text(status.output)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw VMError(message: "\(command) did not finish in the guest within \(limit)")
    }

    func get(_ path: String) async throws -> HTTPResponse {
        try await HTTP.get(exporter.url(path), timeout: 5)
    }

    /// Waits until `count` polls in a row were up, so counters are compared across polls of one boot.
    func upForPolls(_ count: Int, of recorder: PollRecorder, within limit: Duration = .seconds(20)) async -> Bool {
        await eventually(within: limit) { recorder.polls.suffix(count).count == count && recorder.polls.suffix(count).allSatisfy { $0.state == .up } }
    }

    // MARK: Steps

    /// The Proxmox topology: a co-tenant modelled on Proxmox VE's calls makes 100 calls in 20 s
    /// through QEMU's chardev socket while the exporter polls every second. All answered, and the
    /// exporter's data stays complete.
    func coTenantSharesTheChardevSocket(_ socketPath: String) async throws {
        let watcher = CompletenessWatcher(exporter: exporter, guest: guest)
        let result = try await CoTenant.calls(socket: socketPath, calls: 100, seconds: 20)
        let checks = await watcher.stop()
        steps.mark("co-tenant: 100 calls in 20 s")
        print("co-tenant through the VM's QEMU chardev socket (\(guest)): \(result.answered)/\(result.calls) answered; latency p50 "
              + "\(result.latency_ms.p50 ?? -1) ms, p99 \(result.latency_ms.p99 ?? -1) ms, max \(result.latency_ms.max ?? -1) ms; "
              + "exporter polls \(checks.polls)")
        #expect(result.answered == result.calls, "unanswered: \(result.failures.prefix(5).map { "\($0.command): \($0.error)" })")
        #expect(checks.polls >= 10, "the exporter kept polling: \(checks.polls) polls in 20 s")
        #expect(checks.incomplete.isEmpty, "polls without complete data: \(checks.incomplete.prefix(5))")
    }

    /// After the guest was asked to power off: QEMU exits and deletes its socket, so the guest
    /// is down with `socketNotFound`, and a down guest has no data series.
    func powerOffIsFollowed(_ vm: QEMUMachine, asked: String, within limit: Duration) async throws {
        #expect(await exporter.wait(upTo: limit) { $0.report(named: guest)?.errorKind == "socketNotFound" })
        steps.mark("\(asked) -> socketNotFound")
        #expect(!FileManager.default.fileExists(atPath: vm.socketPath), "QEMU removed its socket")
        #expect(await eventually(within: .seconds(10)) { !vm.isRunning }, "QEMU exited")
        let body = try await get("/metrics").text
        #expect(body.contains(series("qga_up", "0")))
        #expect(body.contains(series("qga_agent_error_info", "1", labels: #"kind="socketNotFound""#)))
        // Labels are sorted, so `guest` need not come first.
        #expect(body.range(of: #"qga_cpu_seconds_total\{[^}]*guest="\#(guest)""#, options: .regularExpression) == nil,
                "a down guest has no data series")
    }

    /// The same VM (same disk) started again at `started` (QEMU's start): up again, and CPU time
    /// starts over. It is below the last value of the earlier boot (a counter reset, as
    /// Prometheus sees it), and it counts from this boot: idle included, each of the `vcpus` has
    /// run at most as long as QEMU has.
    func newStartIsFollowed(before: PollRecorder.Poll, started: ContinuousClock.Instant, vcpus: Int,
                            within limit: Duration) async throws {
        #expect(await exporter.wait(upTo: limit) { $0.state(of: guest) == .up }, "the new start is followed")
        steps.mark("new start -> up")
        let after = PollRecorder.Poll(try report(), families: exporter.store.families(named: guest) ?? [])
        let qemuUp = (ContinuousClock.now - started).seconds
        let (cpuBefore, cpuAfter) = (try #require(before.cpuSeconds), try #require(after.cpuSeconds))
        print("\(guest): CPU time \(cpuBefore) s at the last poll before the power-off, \(cpuAfter) s at the first after "
              + "the new start (QEMU up \(String(format: "%.1f", qemuUp)) s)")
        #expect(cpuAfter < cpuBefore, "CPU time restarts with the boot (\(cpuBefore) s before, \(cpuAfter) s after)")
        #expect(cpuAfter <= Double(vcpus) * qemuUp, "CPU time counts from this boot (\(cpuAfter) s, QEMU up \(qemuUp) s)")
    }

    // MARK: Checks

    /// No stale reply was ever used: every successful poll shows the VM's identity, every
    /// collector succeeded, and counters never went backwards within one boot.
    func checkEveryPollConsistent(_ polls: [PollRecorder.Poll], hostname: String, cpus: Set<String>, secondBootStarted: Double) {
        let up = polls.filter { $0.state == .up }
        for poll in up {
            #expect(poll.hostname == hostname && poll.cpus == cpus, "identity at \(poll.finishedAt)")
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
}

/// Time between marks, for the step figures the VM tests print.
final class StepClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = ContinuousClock.now
    private var laps: [String] = []

    func mark(_ label: String) {
        lock.withLock {
            let now = ContinuousClock.now
            laps.append("\(label) \(String(format: "%.1f", (now - last).seconds)) s")
            last = now
        }
    }

    var summary: String { lock.withLock { laps.dropFirst().joined(separator: "; ") } }
}
