import QGAProtocol

/// One guest to poll, with every setting resolved (global config, discovery rule, guest overrides).
struct GuestSpec: Sendable, Equatable {
    var name: String
    var address: AgentAddress
    /// Static labels in a fixed (sorted) order; `guest` is not among them.
    var labels: [(name: String, value: String)]
    var interval: Duration
    var timeout: Duration
    var collectors: CollectorSwitches
    /// "static" or the discovery glob that found it.
    var source: String

    static func == (lhs: GuestSpec, rhs: GuestSpec) -> Bool {
        lhs.name == rhs.name && lhs.address == rhs.address && lhs.interval == rhs.interval
            && lhs.timeout == rhs.timeout && lhs.collectors == rhs.collectors && lhs.source == rhs.source
            && lhs.labels.elementsEqual(rhs.labels) { $0 == $1 }
    }
}
