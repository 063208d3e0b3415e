import QGAMetrics
import QGAProtocol

/// What a collector made of its reply: its families, and the entries of a list reply it had to
/// drop (each named with its index and why, e.g. `guest-get-fsinfo[3]: missing member 'name'`).
/// One bad entry costs that entry only; the poller counts and reports the dropped ones.
struct CollectorOutput: Sendable {
    var families: [MetricFamily]
    var dropped: [String] = []
}

extension CollectorOutput {
    /// A list reply decoded entry by entry and turned into families; what did not decode is named.
    init<Entry: Decodable & Sendable>(
        entriesOf reply: AgentReply, as type: Entry.Type, _ families: ([Entry]) -> [MetricFamily]
    ) throws(AgentError) {
        let decoded = try reply.decodeEntries(type)
        self.init(families: families(decoded.entries), dropped: decoded.dropped)
    }
}
