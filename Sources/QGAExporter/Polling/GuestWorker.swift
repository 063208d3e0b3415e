import Logging
import QGAProtocol

/// Runs one guest's schedule: the first poll after a random offset within the jitter window,
/// then one poll per interval, each taking a slot from the shared limiter.
final class GuestWorker: Sendable {
    let spec: GuestSpec
    let poller: GuestPoller
    private let task: Task<Void, Never>

    init(spec: GuestSpec, client: AgentClient, filters: FilterSet, jitter: Double, limiter: PollLimiter,
         store: SnapshotStore, logger: Logger, now: @escaping @Sendable () -> Double) {
        self.spec = spec
        let poller = GuestPoller(spec: spec, client: client, filters: filters, logger: logger, now: now)
        self.poller = poller
        store.register(GuestReport(name: spec.name, address: spec.address.description, source: spec.source, labels: spec.labels))
        task = Task {
            await Self.run(spec: spec, poller: poller, jitter: jitter, limiter: limiter, store: store, logger: logger)
        }
    }

    private static func run(spec: GuestSpec, poller: GuestPoller, jitter: Double, limiter: PollLimiter,
                            store: SnapshotStore, logger: Logger) async {
        let clock = ContinuousClock()
        let offset = spec.interval * Double.random(in: 0...max(0, jitter))
        var next = clock.now + offset
        var lastState: GuestReport.State = .unknown
        var lastProblems: [String] = []
        while !Task.isCancelled {
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
            store.pollStarted(spec.name)
            // Cancelled while waiting for a slot or while polling: the guest is being stopped,
            // and must not reappear in the store after its removal.
            guard let poll = try? await limiter.withSlot({ await poller.poll() }), !Task.isCancelled else {
                store.pollAbandoned(spec.name)
                return
            }
            let report = poll.report
            store.update(poll)
            if report.state != lastState {
                logStateChange(report, logger: logger)
                lastState = report.state
            }
            // Once per change, not once per poll: a guest with a bad entry says so when it
            // starts and when it stops.
            if report.problems != lastProblems, report.state == .up || report.state == .frozen {
                for problem in report.problems where !lastProblems.contains(problem) {
                    logger.warning("guest data incomplete", metadata: ["guest": "\(spec.name)", "problem": "\(problem)"])
                }
                if report.problems.isEmpty {
                    logger.info("guest data complete again", metadata: ["guest": "\(spec.name)"])
                }
                lastProblems = report.problems
            }
            // Keep to the schedule; if a poll overran, start the next one at the next tick.
            next += spec.interval
            let now = clock.now
            if next < now {
                let missed = ((now - next) / spec.interval).rounded(.up)
                next += spec.interval * missed
            }
        }
    }

    private static func logStateChange(_ report: GuestReport, logger: Logger) {
        let guest = "\(report.name)"
        switch report.state {
        case .up:
            logger.info("guest up", metadata: ["guest": "\(guest)", "agent_version": "\(report.agentVersion ?? "")"])
        case .frozen:
            logger.warning("guest filesystems frozen: collectors skipped, the agent left free for the thaw",
                           metadata: ["guest": "\(guest)"])
        case .paused:
            logger.info("guest locked by the hypervisor: not polled until the lock is gone",
                        metadata: ["guest": "\(guest)", "lock": "\(report.pausedFor ?? "")"])
        case .down:
            logger.warning("guest down", metadata: ["guest": "\(guest)", "error": "\(report.lastError ?? "")"])
        case .unknown:
            break
        }
    }

    /// Returns once the schedule has ended, so nothing of this guest is written afterwards.
    func stop() async {
        task.cancel()
        await poller.client.close()
        await task.value
    }
}
