import QGAMetrics
import Synchronization

/// The latest report of every guest, and its families encoded for `/metrics` and `/probe`.
/// Pollers write here; `/metrics`, `/probe`, the landing page and the APIs read.
///
/// A guest's families are kept only encoded, once under our names (`/metrics`,
/// `/probe?module=qga`) and once under node_exporter's (`/probe?module=node`), both made once per
/// poll, so a scrape only copies bytes. Keeping them as values as well would cost more than both
/// encodings together, for every guest, all the time.
final class SnapshotStore: Sendable {
    private struct Guest {
        var report: GuestReport
        var exposition: EncodedFamilies
        /// The same families under node_exporter's names, without the `guest` label.
        var nodeExposition: EncodedFamilies

        init(_ report: GuestReport, families: [MetricFamily]) {
            self.report = report
            // Normalized once (e.g. counters lose `_total`), then encoded under both names.
            let set = MetricSet(families)
            exposition = EncodedFamilies(set)
            nodeExposition = EncodedFamilies(NodeTranslation.translate(set.families, guest: report.name))
        }
    }

    private struct State {
        var guests: [String: Guest] = [:]
        var polls: (success: UInt64, failure: UInt64) = (0, 0)
    }
    private let state = Mutex(State())

    /// Stores a finished poll. Its families are encoded here, by the poller's task and outside
    /// the lock, so the cost is spread over the polls instead of landing on a scrape.
    func update(_ poll: GuestPoll) {
        let report = poll.report
        let guest = Guest(report, families: poll.families)
        state.withLock { state in
            state.guests[report.name] = guest
            switch report.state {
            case .up, .frozen: state.polls.success += 1
            case .down: state.polls.failure += 1
            case .paused, .unknown: break  // not polled
            }
        }
    }

    /// Polls finished since start, by outcome.
    var pollCounts: (success: UInt64, failure: UInt64) { state.withLock { $0.polls } }

    /// Adds a guest before its first poll so it shows up (as unknown) at once.
    func register(_ report: GuestReport) {
        let guest = Guest(report, families: [])
        state.withLock { state in
            guard state.guests[report.name] == nil else { return }
            state.guests[report.name] = guest
        }
    }

    /// Drops every guest not in `names`; returns the names dropped.
    func retain(only names: Set<String>) -> [String] {
        state.withLock { state in
            let gone = state.guests.keys.filter { !names.contains($0) }
            for name in gone { state.guests.removeValue(forKey: name) }
            return gone.sorted()
        }
    }

    /// Reports sorted by guest name.
    func reports() -> [GuestReport] {
        guests().map(\.report)
    }

    /// Reports and their encoded families, both sorted by guest name, from one moment.
    func expositions() -> (reports: [GuestReport], expositions: [EncodedFamilies]) {
        let guests = guests()
        return (guests.map(\.report), guests.map(\.exposition))
    }

    func report(named name: String) -> GuestReport? {
        state.withLock { $0.guests[name]?.report }
    }

    /// One guest's encoded families, under our names (`qga`) or node_exporter's (`node`).
    func exposition(named name: String, module: ProbeModule) -> EncodedFamilies? {
        state.withLock { state in
            guard let guest = state.guests[name] else { return nil }
            return module == .node ? guest.nodeExposition : guest.exposition
        }
    }

    private func guests() -> [Guest] {
        state.withLock { Array($0.guests.values) }.sorted { $0.report.name < $1.report.name }
    }
}
