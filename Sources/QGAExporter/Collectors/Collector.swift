import QGAMetrics
import QGAProtocol

/// One kind of guest data, as node_exporter's collectors: one agent command, and a pure function
/// that turns its reply into metric families (tested with fixtures, no agent needed). A poll
/// sends every enabled collector's command in one sequence (`AgentClient.executeSequence`) and
/// then hands each collector its reply. Families carry only the collector's own labels; the
/// poller adds `guest` and static labels.
protocol Collector: Sendable {
    associatedtype Reply: Decodable & Sendable
    /// The name used in `--collector.NAME`, the config and `qga_scrape_collector_*{collector}`.
    var name: String { get }
    /// The agent command this collector reads (one without arguments, from the protocol's
    /// catalogue); it is skipped when the agent does not enable it.
    var agentCommand: AgentCommand<NoArguments, Reply> { get }
    /// The families in `reply` and the list entries dropped on the way; throws the command's
    /// failure (the agent's refusal, a reply that does not decode). What the poller calls.
    func collect(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> CollectorOutput
}

/// A collector that reads its reply whole: its families are a pure function of the reply.
protocol ReplyCollector: Collector {
    static func families(_ reply: Reply, filters: FilterSet) -> [MetricFamily]
}

extension ReplyCollector {
    func collect(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> CollectorOutput {
        CollectorOutput(families: Self.families(try reply.decode(agentCommand), filters: filters))
    }
}

/// A collector of a list reply, read entry by entry: an entry that does not decode costs that
/// entry only, and is named in the output's `dropped`.
protocol EntryCollector: Collector {
    /// Only what the collector reads of an entry; any other member, missing or odd, is no
    /// concern of it.
    associatedtype Entry: Decodable & Sendable
    static func families(_ entries: [Entry], filters: FilterSet) -> [MetricFamily]
}

extension EntryCollector {
    func collect(_ reply: AgentReply, filters: FilterSet) throws(AgentError) -> CollectorOutput {
        try CollectorOutput(entriesOf: reply, as: Entry.self) { Self.families($0, filters: filters) }
    }
}

extension Collector {
    /// The command's name: what a poll sends and what `guest-info` lists.
    var command: String { agentCommand.name }
}

/// Helpers shared by the collectors' pure functions.
enum Families {
    static func label(_ name: String, _ value: String) -> Label { Label(name: name, value: value) }

    /// One family per metric of a table, one sample per item that reports that metric.
    /// Items that do not report a value are left out, never shown as 0.
    static func table<Item>(
        _ metrics: [TableMetric<Item>], items: [Item], labels: (Item) -> [Label]
    ) -> [MetricFamily] {
        let itemLabels = items.map(labels)
        return metrics.compactMap { metric in
            var samples: [Sample] = []
            samples.reserveCapacity(items.count)
            for (item, labels) in zip(items, itemLabels) {
                if let value = metric.value(item) { samples.append(Sample(labels: labels, value: value)) }
            }
            guard !samples.isEmpty else { return nil }
            return MetricFamily(name: metric.name, help: metric.help, type: metric.type,
                                unit: metric.unit, samples: samples)
        }
    }

    static func gauge(_ name: String, _ help: String, unit: String? = nil, _ samples: [Sample]) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .gauge, unit: unit, samples: samples)
    }

    static func info(_ name: String, _ help: String, labels: [Label]) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .info, samples: [Sample(labels: labels, value: 1)])
    }
}

/// A row of a collector's metric table: name, help, type, unit and how to read the value.
struct TableMetric<Item>: Sendable {
    let name: String
    let help: String
    let type: MetricType
    let unit: String?
    let value: @Sendable (Item) -> Double?

    static func counter(_ name: String, _ help: String, unit: String? = nil, scale: Double = 1,
                        _ read: @escaping @Sendable (Item) -> UInt64?) -> TableMetric {
        TableMetric(name: name, help: help, type: .counter, unit: unit) { read($0).map { Double($0) * scale } }
    }

    static func gauge(_ name: String, _ help: String, unit: String? = nil,
                      _ read: @escaping @Sendable (Item) -> UInt64?) -> TableMetric {
        TableMetric(name: name, help: help, type: .gauge, unit: unit) { read($0).map { Double($0) } }
    }
}
