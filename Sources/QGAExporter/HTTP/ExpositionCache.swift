import NIOCore
import QGAMetrics
import Synchronization

/// Serves `/metrics` bodies made from the snapshot, and keeps scrapes from paying for the
/// rendering whenever it can:
/// - a body younger than `freshFor` is served as it is;
/// - an older one, up to `staleFor`, is served at once while a background task makes a new one
///   (with every variant asked for recently), so a busy scraper never waits;
/// - with nothing younger than `staleFor`, the request renders (or waits for the render already
///   running), so a scrape every 15 s gets data from its own moment.
final class ExpositionCache: Sendable {
    struct Variant: Hashable, Sendable {
        var format: ExpositionFormat
        var encoding: ContentEncoding
    }

    /// One snapshot's bodies, each made once on first use and kept only as the ByteBuffer the
    /// responses share (a large fleet's body is megabytes: no second copy).
    private final class Rendering: Sendable {
        let set: MetricSet
        let madeAt: ContinuousClock.Instant
        private let buffers = Mutex<[Variant: ByteBuffer]>([:])

        init(set: MetricSet, madeAt: ContinuousClock.Instant) {
            self.set = set
            self.madeAt = madeAt
        }

        func body(_ variant: Variant) -> ByteBuffer {
            if let buffer = buffers.withLock({ $0[variant] }) { return buffer }
            let buffer: ByteBuffer
            if variant.encoding == .gzip {
                buffer = Gzip.body(of: body(Variant(format: variant.format, encoding: .identity)))
            } else {
                buffer = ByteBuffer(bytes: ExpositionEncoder.encode(set, format: variant.format))
            }
            buffers.withLock { $0[variant] = buffer }
            return buffer
        }
    }

    private struct State {
        var current: Rendering?
        var inFlight: Task<Rendering, Never>?
        var lastAsked: [Variant: ContinuousClock.Instant] = [:]
    }

    private let store: SnapshotStore
    private let freshFor: Duration
    private let staleFor: Duration
    private let state = Mutex(State())
    private let clock = ContinuousClock()
    /// Variants asked for within this window are made ahead in background renders.
    private static let recentWindow = Duration.seconds(120)

    init(store: SnapshotStore, freshFor: Duration = .seconds(1), staleFor: Duration = .seconds(5)) {
        self.store = store
        self.freshFor = freshFor
        self.staleFor = max(freshFor, staleFor)
    }

    func body(_ variant: Variant) async -> ByteBuffer {
        await current(for: variant).body(variant)
    }

    private func current(for variant: Variant) async -> Rendering {
        let now = clock.now
        enum Plan { case serve(Rendering), serveAndRefresh(Rendering, Task<Rendering, Never>), wait(Task<Rendering, Never>) }
        let plan: Plan = state.withLock { state in
            state.lastAsked[variant] = now
            if let current = state.current {
                let age = now - current.madeAt
                if age < freshFor { return .serve(current) }
                if age < staleFor {
                    if state.inFlight != nil { return .serve(current) }
                    let task = startRender(&state)
                    return .serveAndRefresh(current, task)
                }
            }
            return .wait(state.inFlight ?? startRender(&state))
        }
        switch plan {
        case .serve(let rendering): return rendering
        case .serveAndRefresh(let rendering, _): return rendering
        case .wait(let task): return await task.value
        }
    }

    /// Starts a render off the request path; called with the state locked.
    private func startRender(_ state: inout State) -> Task<Rendering, Never> {
        let cutoff = clock.now - Self.recentWindow
        let variants = state.lastAsked.filter { $0.value > cutoff }.map(\.key)
        let task = Task.detached(priority: .medium) { [self] in
            let rendering = render(preparing: variants)
            self.state.withLock { state in
                state.current = rendering
                state.inFlight = nil
            }
            return rendering
        }
        state.inFlight = task
        return task
    }

    private func render(preparing variants: [Variant]) -> Rendering {
        let madeAt = clock.now
        let reports = store.reports().reports
        var fragments: [MetricFamily] = []
        for report in reports { fragments += report.families }
        fragments += ExporterMetrics.families(reports: reports, pollCounts: store.pollCounts)
        let rendering = Rendering(set: MetricSet(fragments), madeAt: madeAt)
        for variant in variants { _ = rendering.body(variant) }
        return rendering
    }
}
