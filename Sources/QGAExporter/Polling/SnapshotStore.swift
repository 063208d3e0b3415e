import Synchronization

/// The latest report of every guest. Pollers write here; `/metrics`, the landing page and the
/// APIs read.
final class SnapshotStore: Sendable {
    private struct State {
        var reports: [String: GuestReport] = [:]
        var polls: (success: UInt64, failure: UInt64) = (0, 0)
    }
    private let state = Mutex(State())

    func update(_ report: GuestReport) {
        state.withLock { state in
            state.reports[report.name] = report
            if report.state == .up { state.polls.success += 1 } else { state.polls.failure += 1 }
        }
    }

    /// Polls finished since start, by outcome.
    var pollCounts: (success: UInt64, failure: UInt64) { state.withLock { $0.polls } }

    /// Adds a guest before its first poll so it shows up (as unknown) at once.
    func register(_ report: GuestReport) {
        state.withLock { state in
            guard state.reports[report.name] == nil else { return }
            state.reports[report.name] = report
        }
    }

    /// Drops every guest not in `names`; returns the names dropped.
    func retain(only names: Set<String>) -> [String] {
        state.withLock { state in
            let gone = state.reports.keys.filter { !names.contains($0) }
            for name in gone { state.reports.removeValue(forKey: name) }
            return gone.sorted()
        }
    }

    /// Reports sorted by guest name.
    func reports() -> [GuestReport] {
        state.withLock { Array($0.reports.values) }.sorted { $0.name < $1.name }
    }

    func report(named name: String) -> GuestReport? {
        state.withLock { $0.reports[name] }
    }
}
