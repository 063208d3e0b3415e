import NIOCore
import QGAMetrics
import Synchronization

/// Serves `/metrics` bodies merged from the guests' blocks encoded at poll time (see
/// `ExpositionMerge`), rendering at most once per `freshFor`:
/// - a body younger than `freshFor` is served as it is;
/// - an older one makes the request render a new one from the current snapshot, so a scrape
///   every 15 s gets data from its own moment;
/// - while one request renders, the others are served the previous body rather than waiting,
///   so a busy scraper pays for at most one render per `freshFor`.
/// Each body (format x encoding) is made on first use, once.
final class ExpositionCache: Sendable {
    struct Variant: Hashable, Sendable {
        var format: ExpositionFormat
        var encoding: ContentEncoding
    }

    /// One render's bodies, each made at most once (concurrent requests for the same variant
    /// wait for the one being made) and kept only as the ByteBuffer the responses share: a large
    /// fleet's body is megabytes, so no second copy, and a gzip body is compressed as it is
    /// merged, with no plain body behind it. A variant first asked for after the render is
    /// merged from the snapshot of that moment: holding on to the render's snapshot would keep
    /// a second generation of every guest's blocks alive until the next render.
    private final class Rendering: Sendable {
        let madeAt: ContinuousClock.Instant
        private let merge: @Sendable () -> ExpositionMerge
        private final class Slot: Sendable {
            let body = Mutex<ByteBuffer?>(nil)
        }
        private let slots: [Variant: Slot]

        init(madeAt: ContinuousClock.Instant, merge: @escaping @Sendable () -> ExpositionMerge) {
            self.madeAt = madeAt
            self.merge = merge
            var slots: [Variant: Slot] = [:]
            for format in ExpositionFormat.allCases {
                for encoding in [ContentEncoding.identity, .gzip] {
                    slots[Variant(format: format, encoding: encoding)] = Slot()
                }
            }
            self.slots = slots
        }

        func body(_ variant: Variant) -> ByteBuffer {
            var made = false
            let body = slots[variant]!.body.withLock { slot in
                if let buffer = slot { return buffer }
                let merge = merge()
                let buffer = variant.encoding == .gzip ? merge.gzipBody(variant.format) : merge.body(variant.format)
                slot = buffer
                made = true
                return buffer
            }
            // The merge's snapshot of the guests' blocks was just released.
            if made { MemoryTrim.release() }
            return body
        }
    }

    private struct State {
        var current: Rendering?
        var inFlight: Task<Rendering, Never>?
    }

    private let store: SnapshotStore
    private let freshFor: Duration
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    init(store: SnapshotStore, freshFor: Duration = .seconds(1)) {
        self.store = store
        self.freshFor = freshFor
    }

    func body(_ variant: Variant) async -> ByteBuffer {
        await current(variant).body(variant)
    }

    private func current(_ variant: Variant) async -> Rendering {
        let now = clock.now
        enum Plan { case serve(Rendering), wait(Task<Rendering, Never>) }
        let plan: Plan = state.withLock { state in
            if let current = state.current, now - current.madeAt < freshFor || state.inFlight != nil {
                return .serve(current)
            }
            return .wait(state.inFlight ?? startRender(variant, &state))
        }
        switch plan {
        case .serve(let rendering): return rendering
        case .wait(let task): return await task.value
        }
    }

    /// Starts a render of `variant`; called with the state locked. The task outlives a
    /// cancelled request.
    private func startRender(_ variant: Variant, _ state: inout State) -> Task<Rendering, Never> {
        let task = Task.detached(priority: .medium) { [self] in
            let rendering = Rendering(madeAt: clock.now) { [store] in Self.merge(store) }
            _ = rendering.body(variant)
            let previous = self.state.withLock { state in
                defer {
                    state.current = rendering
                    state.inFlight = nil
                }
                return state.current
            }
            // The previous bodies (megabytes for a large fleet) are freed here at the latest.
            _ = consume previous
            MemoryTrim.release()
            return rendering
        }
        state.inFlight = task
        return task
    }

    /// Every guest's blocks, in guest name order, then the exporter's own families.
    private static func merge(_ store: SnapshotStore) -> ExpositionMerge {
        let snapshot = store.expositions()
        let own = EncodedFamilies(ExporterMetrics.families(reports: snapshot.reports, pollCounts: store.pollCounts))
        return ExpositionMerge(snapshot.expositions + [own])
    }
}
