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
        /// A poll of this guest has started (or waits for a slot) and not yet finished.
        var pollInFlight = false

        /// Whether a newer answer is on its way: a poll runs, or the first one is still to come.
        var awaitsPoll: Bool { pollInFlight || report.state == .unknown }

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
        /// Requests waiting for a guest's next poll (`waitForPoll`), by guest and waiter.
        var waiters: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
        var nextWaiter: UInt64 = 0
    }
    private let state = Mutex(State())

    /// Stores a finished poll. Its families are encoded here, by the poller's task and outside
    /// the lock, so the cost is spread over the polls instead of landing on a scrape.
    func update(_ poll: GuestPoll) {
        let report = poll.report
        let guest = Guest(report, families: poll.families)
        let waiting = state.withLock { state in
            state.guests[report.name] = guest
            switch report.state {
            case .up, .frozen: state.polls.success += 1
            case .down: state.polls.failure += 1
            case .paused, .unknown: break  // not polled
            }
            return state.waiters.removeValue(forKey: report.name) ?? [:]
        }
        for continuation in waiting.values { continuation.resume() }
    }

    /// Marks a poll of `name` as begun, so `/probe` can wait for its result.
    func pollStarted(_ name: String) {
        state.withLock { $0.guests[name]?.pollInFlight = true }
    }

    /// Marks a poll of `name` that began as ended without a result (its worker was stopped by a
    /// reload). Requests waiting for it answer now with what there is, and later ones do not
    /// wait for a poll that will never come.
    func pollAbandoned(_ name: String) {
        let waiting = state.withLock { state in
            state.guests[name]?.pollInFlight = false
            return state.waiters.removeValue(forKey: name) ?? [:]
        }
        for continuation in waiting.values { continuation.resume() }
    }

    /// Waits, at most `limit`, for the poll of `name` that is running or still to come first;
    /// returns at once when none is. `/probe` uses it to answer with the newest data that can
    /// arrive within the scrape's deadline.
    func waitForPoll(of name: String, upTo limit: Duration) async {
        guard limit > .zero, state.withLock({ $0.guests[name]?.awaitsPoll ?? false }) else { return }
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.suspendUntilPolled(name, waiter: id) }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until `update` stores a poll of `name`, the guest leaves, or the task is
    /// cancelled. Registration and cancellation meet under the lock: a cancel that comes first
    /// is seen by `Task.isCancelled` there, one that comes later finds the continuation.
    private func suspendUntilPolled(_ name: String, waiter id: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registered = state.withLock { state in
                    guard !Task.isCancelled, state.guests[name]?.awaitsPoll == true else { return false }
                    state.waiters[name, default: [:]][id] = continuation
                    return true
                }
                if !registered { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters[name]?.removeValue(forKey: id) }
            continuation?.resume()
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
        let (gone, waiting) = state.withLock { state in
            let gone = state.guests.keys.filter { !names.contains($0) }
            var waiting: [CheckedContinuation<Void, Never>] = []
            for name in gone {
                state.guests.removeValue(forKey: name)
                if let waiters = state.waiters.removeValue(forKey: name) { waiting += waiters.values }
            }
            return (gone.sorted(), waiting)
        }
        for continuation in waiting { continuation.resume() }
        return gone
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
