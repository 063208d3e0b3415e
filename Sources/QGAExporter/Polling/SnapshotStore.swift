import QGAMetrics
import Synchronization

/// The latest report of every guest, and its families encoded for `/metrics`. Pollers write
/// here; `/metrics`, the landing page and the APIs read.
///
/// A guest's families are kept only encoded (as `/metrics` text, about 12 kB per guest): a
/// second copy as values would cost more than twice that for every guest, all the time, for
/// the rare reader of one guest's values, who gets them decoded from the text.
final class SnapshotStore: Sendable {
    private struct Guest {
        /// The report with its `families` emptied: they live in `exposition`.
        var report: GuestReport
        /// `report.families` normalized and encoded once per poll, so a scrape only copies bytes.
        var exposition: EncodedFamilies

        init(_ report: GuestReport) {
            exposition = EncodedFamilies(report.families)
            self.report = report
            self.report.families = []
        }
    }

    private struct State {
        var guests: [String: Guest] = [:]
        var polls: (success: UInt64, failure: UInt64) = (0, 0)
    }
    private let state = Mutex(State())

    /// Stores a finished poll. Its families are encoded here, by the poller's task and outside
    /// the lock, so the cost is spread over the polls instead of landing on a scrape.
    func update(_ report: GuestReport) {
        let guest = Guest(report)
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
        let guest = Guest(report)
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

    /// Reports sorted by guest name, without their families (see `report(named:)`).
    func reports() -> [GuestReport] {
        guests().map(\.report)
    }

    /// Reports and their encoded families, both sorted by guest name, from one moment.
    func expositions() -> (reports: [GuestReport], expositions: [EncodedFamilies]) {
        let guests = guests()
        return (guests.map(\.report), guests.map(\.exposition))
    }

    /// One guest's report with its families, as `/metrics` exposes them (normalized).
    func report(named name: String) -> GuestReport? {
        guard let guest = state.withLock({ $0.guests[name] }) else { return nil }
        var report = guest.report
        report.families = guest.exposition.decodedFamilies()
        return report
    }

    private func guests() -> [Guest] {
        state.withLock { Array($0.guests.values) }.sorted { $0.report.name < $1.report.name }
    }
}
