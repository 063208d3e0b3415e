import Logging
import QGAMetrics
import QGAProtocol

/// Polls one guest: asks the agent what it can do (now and then), runs each enabled collector,
/// and turns the results into the guest's families. It keeps the guest's one connection open
/// across polls. One poller per guest, driven by its `GuestWorker`, so polls never overlap.
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

    func poll() async -> GuestReport {
        let started = now()
        var report = GuestReport(name: spec.name, address: spec.address.description, source: spec.source, labels: spec.labels)
        var families: [MetricFamily] = []
        var collectorSamples: [(name: String, success: Bool, seconds: Double)] = []
        var transportError: AgentError?

        do {
            try await refreshCapabilities()
        } catch {
            transportError = error
            errorCounts[error.kind, default: 0] += 1
        }

        if transportError == nil {
            let collectors = CollectorCatalog.all.filter { collector in
                spec.collectors.isEnabled(collector.name, default: CollectorCatalog.enabledByDefault(collector.name))
                    && isAvailable(collector)
            }
            // One sequence for the whole poll; it ends early if the channel fails (the agent is
            // single-threaded: every later command would wait out its own deadline too). Each
            // reply is read while the agent works on the next command.
            let filters = self.filters
            let now = self.now
            let outcomes = await client.executeSequence(collectors.map(\.command), timeout: spec.timeout, clock: now) {
                index, reply in
                let readStart = now()
                let families = Result { () throws(AgentError) in try collectors[index].read(reply, filters: filters) }
                return (families: families, seconds: reply.receivedAt - reply.sentAt + now() - readStart)
            }
            for (collector, outcome) in zip(collectors, outcomes) {
                switch outcome.families {
                case .success(let collected):
                    families += collected
                    collectorSamples.append((collector.name, true, outcome.seconds))
                case .failure(let error):
                    collectorSamples.append((collector.name, false, outcome.seconds))
                    errorCounts[error.kind, default: 0] += 1
                    if error.kind == .unsupported { unsupported.insert(collector.command) }
                    logger.debug("collector failed", metadata: ["guest": "\(spec.name)", "collector": "\(collector.name)", "error": "\(error)"])
                    if error.isTransportFailure { transportError = error }
                }
            }
        }

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
        } else {
            report.state = .up
        }
        if let transportError { families.append(Self.errorFamily(transportError.kind)) }
        families += Self.healthFamilies(up: transportError == nil, version: transportError == nil ? agentVersion : nil,
                                        enabledCount: enabledCommands?.count,
                                        collectors: collectorSamples, pollSeconds: finished - started, finishedAt: finished)
        if !errorCounts.isEmpty {
            families.append(MetricFamily(
                name: "qga_agent_errors", help: "Errors from the guest agent or its channel, by kind, since the guest was added.",
                type: .counter,
                samples: errorCounts.map { Sample(labels: [Families.label("kind", $0.key.rawValue)], value: Double($0.value)) }))
        }
        report.families = GuestLabels.attach(families, guest: spec.name, staticLabels: spec.labels)
        return report
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
