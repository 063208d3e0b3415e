import Logging
import QGAMetrics
import QGAProtocol

/// Polls one guest: asks the agent what it can do (now and then), runs each enabled collector,
/// and turns the results into the guest's families. Each poll is one session with the agent
/// (`AgentClient.withSession`), so other clients of the agent's one channel get it between
/// polls. One poller per guest, driven by its `GuestWorker`, so polls never overlap.
actor GuestPoller {
    let spec: GuestSpec
    let client: AgentClient
    private let filters: FilterSet
    private let logger: Logger
    private let now: @Sendable () -> Double

    /// Commands the agent enables, from `guest-info`; nil until it answered once.
    private var enabledCommands: Set<String>?
    private var agentVersion: String?
    /// Commands the agent listed but then called unsupported (e.g. cpustats on Windows).
    private var unsupported: Set<String> = []
    private var pollsSinceInfo = 0
    /// List entries each collector dropped since the guest was added.
    private var droppedCounts: [String: UInt64] = [:]
    /// Whether a `guest-get-load` reply came since the agent was (re)discovered.
    private var loadPrimed = false
    /// Every error the agent or the channel gave, by kind, since the guest was added.
    private var errorCounts: [AgentError.Kind: UInt64] = [:]
    /// Re-ask `guest-info` this often: the agent may have been upgraded or re-configured.
    private static let infoRefreshPolls = 20

    init(spec: GuestSpec, client: AgentClient, filters: FilterSet, logger: Logger,
         now: @escaping @Sendable () -> Double) {
        self.spec = spec
        self.client = client
        self.filters = filters
        self.logger = logger
        self.now = now
    }

    /// One poll, as one session with the agent: connect, sync, the commands, close (unless the
    /// guest's connection is `persistent`). Nothing is held between polls.
    func poll() async -> GuestPoll {
        let started = now()
        if let configPath = spec.proxmoxConfig, let lock = ProxmoxLock.pausingLock(configPath: configPath) {
            return pausedReport(lock: lock, at: started)
        }
        do {
            return try await client.withSession { await pollInSession(started: started) }
        } catch {
            // Cancelled while an earlier call held the agent: the exporter is stopping.
            return finish(started: started, families: [], collectorSamples: [], transportError: error, frozen: false)
        }
    }

    /// A collector's part of a poll: `reported` is false for the freeze check the poll makes even
    /// when the fsfreeze collector is off, since a frozen agent refuses everything else.
    private struct Step {
        let collector: any Collector
        let reported: Bool
    }

    private struct StepOutcome: Sendable {
        var output: Result<CollectorOutput, AgentError>
        var seconds: Double
        var frozen: Bool
    }

    private func pollInSession(started: Double) async -> GuestPoll {
        var families: [MetricFamily] = []
        var collectorSamples: [(name: String, success: Bool, seconds: Double)] = []
        var transportError: AgentError?
        var frozen = false
        /// Collector failures and dropped list entries, for the log and the landing page.
        var problems: [String] = []
        var dropped: [(collector: String, entries: [String])] = []

        do {
            try await refreshCapabilities()
        } catch {
            transportError = error
            errorCounts[error.kind, default: 0] += 1
        }

        if transportError == nil {
            let steps = pollSteps()
            // One sequence for the whole poll; it ends early if the channel fails (the agent is
            // single-threaded: every later command would wait out its own deadline too), or
            // right after the freeze check when the guest is frozen. Each reply is read while
            // the agent works on the next command.
            let filters = self.filters
            let now = self.now
            let collectors = steps.map(\.collector)
            let checkpoint = collectors.first is FsfreezeCollector
                ? SequenceCheckpoint<StepOutcome>(index: 0) { !$0.frozen } : nil
            let outcomes = await client.executeSequence(collectors.map(\.command), timeout: spec.timeout, clock: now,
                                                        checkpoint: checkpoint) { index, reply in
                let readStart = now()
                let output = Result { () throws(AgentError) in try collectors[index].collect(reply, filters: filters) }
                let frozen = collectors[index] is FsfreezeCollector
                    && (try? reply.decode(GuestFsfreezeStatus.self)) == .frozen
                return StepOutcome(output: output, seconds: reply.receivedAt - reply.sentAt + now() - readStart,
                                   frozen: frozen)
            }
            for (step, outcome) in zip(steps, outcomes) {
                frozen = frozen || outcome.frozen
                switch outcome.output {
                case .success(let collected):
                    var collectedFamilies = collected.families
                    if step.collector is LoadCollector { collectedFamilies = primedLoad(collectedFamilies) }
                    if step.reported || outcome.frozen { families += collectedFamilies }
                    if step.reported {
                        collectorSamples.append((step.collector.name, true, outcome.seconds))
                        dropped.append((step.collector.name, collected.dropped))
                        problems += collected.dropped
                    }
                case .failure(let error):
                    if step.reported { collectorSamples.append((step.collector.name, false, outcome.seconds)) }
                    errorCounts[error.kind, default: 0] += 1
                    if error.kind == .unsupported { unsupported.insert(step.collector.command) }
                    if error.isTransportFailure {
                        transportError = error
                    } else if error.kind != .unsupported && step.reported {
                        problems.append("\(step.collector.name): \(error)")
                    }
                }
            }
        }
        for (collector, entries) in dropped where !entries.isEmpty { droppedCounts[collector, default: 0] += UInt64(entries.count) }
        if !droppedCounts.isEmpty {
            families.append(MetricFamily(
                name: "qga_scrape_collector_dropped_entries", help: "Entries of list replies a collector dropped because they did not decode, since the guest was added.",
                type: .counter,
                samples: droppedCounts.map { Sample(labels: [Families.label("collector", $0.key)], value: Double($0.value)) }))
        }
        var poll = finish(started: started, families: families, collectorSamples: collectorSamples,
                          transportError: transportError, frozen: frozen && transportError == nil)
        poll.report.problems = problems
        return poll
    }

    /// An agent that emulates load (Windows, 10.1 and later) counts from its first
    /// `guest-get-load` and answers zeros then: that first reply is left out.
    private func primedLoad(_ families: [MetricFamily]) -> [MetricFamily] {
        defer { loadPrimed = true }
        let allZero = families.allSatisfy { $0.samples.allSatisfy { $0.value == 0 } }
        return !loadPrimed && allZero ? [] : families
    }

    /// The enabled collectors the agent offers, the freeze check first.
    private func pollSteps() -> [Step] {
        var steps: [Step] = []
        for collector in CollectorCatalog.all where isAvailable(collector) {
            let enabled = spec.collectors.isEnabled(collector.name, default: CollectorCatalog.enabledByDefault(collector.name))
            if collector is FsfreezeCollector {
                steps.insert(Step(collector: collector, reported: enabled), at: 0)
            } else if enabled {
                steps.append(Step(collector: collector, reported: true))
            }
        }
        return steps
    }

    private func finish(started: Double, families: [MetricFamily],
                        collectorSamples: [(name: String, success: Bool, seconds: Double)],
                        transportError: AgentError?, frozen: Bool) -> GuestPoll {
        var families = families
        var report = GuestReport(name: spec.name, address: spec.address.description, source: spec.source, labels: spec.labels)
        let finished = now()
        report.lastPollUnixTime = finished
        report.pollDuration = finished - started
        report.agentVersion = agentVersion
        report.enabledCommands = enabledCommands.map { $0.sorted() } ?? []
        if let transportError {
            report.state = .down
            report.lastError = transportError.description
            report.errorKind = transportError.kind.rawValue
            // A broken channel invalidates what we knew: ask again once it answers.
            enabledCommands = nil
            loadPrimed = false
        } else {
            report.state = frozen ? .frozen : .up
        }
        if let transportError { families.append(Self.errorFamily(transportError.kind)) }
        families += Self.healthFamilies(up: transportError == nil, version: transportError == nil ? agentVersion : nil,
                                        enabledCount: enabledCommands?.count,
                                        collectors: collectorSamples, pollSeconds: finished - started, finishedAt: finished)
        families += errorCountFamilies()
        return GuestPoll(report: report, families: GuestLabels.attach(families, guest: spec.name, staticLabels: spec.labels))
    }

    /// Not polled: the hypervisor holds the guest for a backup. Neither up nor down; the
    /// agent's channel is left to the backup's freeze and thaw.
    private func pausedReport(lock: String, at time: Double) -> GuestPoll {
        var report = GuestReport(name: spec.name, address: spec.address.description, source: spec.source, labels: spec.labels)
        report.state = .paused
        report.pausedFor = lock
        report.agentVersion = agentVersion
        report.lastPollUnixTime = time
        var families = [Families.gauge("qga_poll_paused", "1 while the guest is not polled because the hypervisor locked it (Proxmox VE `lock:`, e.g. backup).",
                                       [Sample(labels: [Families.label("reason", lock)], value: 1)])]
        families += errorCountFamilies()
        return GuestPoll(report: report, families: GuestLabels.attach(families, guest: spec.name, staticLabels: spec.labels))
    }

    private func errorCountFamilies() -> [MetricFamily] {
        guard !errorCounts.isEmpty else { return [] }
        return [MetricFamily(
            name: "qga_agent_errors", help: "Errors from the guest agent or its channel, by kind, since the guest was added.",
            type: .counter,
            samples: errorCounts.map { Sample(labels: [Families.label("kind", $0.key.rawValue)], value: Double($0.value)) })]
    }

    private func refreshCapabilities() async throws(AgentError) {
        pollsSinceInfo += 1
        guard enabledCommands == nil || pollsSinceInfo >= Self.infoRefreshPolls else { return }
        let info = try await client.info()
        pollsSinceInfo = 0
        agentVersion = info.version
        enabledCommands = info.enabledCommands
        unsupported = []
    }

    private func isAvailable(_ collector: any Collector) -> Bool {
        (enabledCommands?.contains(collector.command) ?? false) && !unsupported.contains(collector.command)
    }

    /// Why the guest is down, for alerts that tell a VM that is off (`socketNotFound`,
    /// `connectionRefused`) from one whose agent is silent (`timeout`: booting, agent dead, or
    /// another client holding the channel, which the host cannot tell apart).
    static func errorFamily(_ kind: AgentError.Kind) -> MetricFamily {
        Families.info("qga_agent_error", "Why the last poll of this guest failed; present only while qga_up is 0.",
                      labels: [Families.label("kind", kind.rawValue)])
    }

    static func healthFamilies(up: Bool, version: String?, enabledCount: Int?,
                               collectors: [(name: String, success: Bool, seconds: Double)],
                               pollSeconds: Double, finishedAt: Double) -> [MetricFamily] {
        var families = [
            Families.gauge("qga_up", "Whether the guest agent answered the last poll (1) or not (0).", [Sample(labels: [], value: up ? 1 : 0)]),
            Families.gauge("qga_poll_duration_seconds", "Wall time of the last poll of this guest.", unit: "seconds",
                           [Sample(labels: [], value: pollSeconds)]),
            Families.gauge("qga_last_poll_timestamp_seconds", "Unix time when the last poll of this guest finished.", unit: "seconds",
                           [Sample(labels: [], value: finishedAt)]),
        ]
        if let version {
            families.append(Families.info("qga_agent", "The guest agent's version.", labels: [Families.label("version", version)]))
        }
        if up, let enabledCount {
            families.append(Families.gauge("qga_agent_commands_enabled", "Number of commands the guest agent has enabled.",
                                           [Sample(labels: [], value: Double(enabledCount))]))
        }
        if !collectors.isEmpty {
            families.append(Families.gauge("qga_scrape_collector_success", "Whether a collector succeeded in the last poll.",
                                           collectors.map { Sample(labels: [Families.label("collector", $0.name)], value: $0.success ? 1 : 0) }))
            families.append(Families.gauge("qga_scrape_collector_duration_seconds", "Wall time of a collector in the last poll.", unit: "seconds",
                                           collectors.map { Sample(labels: [Families.label("collector", $0.name)], value: $0.seconds) }))
        }
        return families
    }
}
