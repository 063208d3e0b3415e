import Foundation
import QGAMetrics
import QGATestSupport
import Synchronization

@testable import QGAExporter

/// Records every poll of one guest the exporter finished (the store's report, sampled often
/// enough to see each one), reduced to the values the VM test checks for consistency.
final class PollRecorder: Sendable {
    struct Poll: Sendable {
        var state: GuestReport.State
        var errorKind: String?
        var finishedAt: Double
        /// Sum of qga_cpu_seconds over all CPUs and modes: grows with the guest's uptime.
        var cpuSeconds: Double?
        var vdaReads: Double?
        var hostname: String?
        var cpus: Set<String>
        var failedCollectors: Set<String>

        init(_ report: GuestReport, families: [MetricFamily]) {
            state = report.state
            errorKind = report.errorKind
            finishedAt = report.lastPollUnixTime ?? 0
            cpuSeconds = families.family("qga_cpu_seconds").map { $0.samples.reduce(0) { $0 + $1.value } }
            vdaReads = families.value("qga_disk_reads_completed", ["device": "vda"])
            hostname = families.labelValues("qga_hostname", label: "hostname").first
            cpus = families.labelValues("qga_cpu_seconds", label: "cpu")
            failedCollectors = Set(families.family("qga_scrape_collector_success")?.samples
                .filter { $0.value == 0 }.compactMap { $0.labels.first { $0.name == "collector" }?.value } ?? [])
        }
    }

    private let recorded = Mutex<[Poll]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(store: SnapshotStore, guest: String) {
        task.withLock {
            $0 = Task {
                var last: Double?
                while !Task.isCancelled {
                    if let report = store.report(named: guest), let finished = report.lastPollUnixTime, finished != last {
                        last = finished
                        let poll = Poll(report, families: store.families(named: guest) ?? [])
                        self.recorded.withLock { $0.append(poll) }
                    }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }

    var polls: [Poll] { recorded.withLock { $0 } }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
