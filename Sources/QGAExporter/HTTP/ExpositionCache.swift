import NIOCore
import QGAMetrics
import Synchronization

/// Serves `/metrics` bodies made from the snapshot, rendering at most once per `freshFor`:
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

    /// One snapshot's bodies, each made at most once (concurrent requests for the same variant
    /// wait for the one being made) and kept only as the ByteBuffer the responses share: a large
    /// fleet's body is megabytes, so no second copy, and a plain body made only as the input of a
    /// gzip one is not kept.
    private final class Rendering: Sendable {
        let set: MetricSet
        let madeAt: ContinuousClock.Instant
        private final class Slot: Sendable {
            let body = Mutex<ByteBuffer?>(nil)
        }
        private let slots: [Variant: Slot]

        init(set: MetricSet, madeAt: ContinuousClock.Instant) {
            self.set = set
            self.madeAt = madeAt
            var slots: [Variant: Slot] = [:]
            for format in [ExpositionFormat.prometheusText, .openMetrics] {
                for encoding in [ContentEncoding.identity, .gzip] {
                    slots[Variant(format: format, encoding: encoding)] = Slot()
                }
            }
            self.slots = slots
        }

        func body(_ variant: Variant) -> ByteBuffer {
            slots[variant]!.body.withLock { slot in
                if let buffer = slot { return buffer }
                let buffer: ByteBuffer
                if variant.encoding == .gzip {
                    let identity = slots[Variant(format: variant.format, encoding: .identity)]!.body.withLock { $0 }
                    buffer = Gzip.body(of: identity ?? ByteBuffer(bytes: ExpositionEncoder.encode(set, format: variant.format)))
                } else {
                    buffer = ByteBuffer(bytes: ExpositionEncoder.encode(set, format: variant.format))
                }
                slot = buffer
                return buffer
            }
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
        await current().body(variant)
    }

    private func current() async -> Rendering {
        let now = clock.now
        enum Plan { case serve(Rendering), wait(Task<Rendering, Never>) }
        let plan: Plan = state.withLock { state in
            if let current = state.current, now - current.madeAt < freshFor || state.inFlight != nil {
                return .serve(current)
            }
            return .wait(state.inFlight ?? startRender(&state))
        }
        switch plan {
        case .serve(let rendering): return rendering
        case .wait(let task): return await task.value
        }
    }

    /// Starts a render; called with the state locked. The task outlives a cancelled request.
    private func startRender(_ state: inout State) -> Task<Rendering, Never> {
        let task = Task.detached(priority: .medium) { [self] in
            let rendering = render()
            let previous = self.state.withLock { state in
                defer {
                    state.current = rendering
                    state.inFlight = nil
                }
                return state.current
            }
            // The previous bodies (megabytes for a large fleet) are freed here at the latest;
            // hand the memory back rather than let the heap keep its high-water mark.
            _ = consume previous
            #if canImport(Glibc)
            _ = glibcMallocTrim(0)
            #endif
            return rendering
        }
        state.inFlight = task
        return task
    }

    private func render() -> Rendering {
        let madeAt = clock.now
        let reports = store.reports()
        var fragments: [MetricFamily] = []
        for report in reports { fragments += report.families }
        fragments += ExporterMetrics.families(reports: reports, pollCounts: store.pollCounts)
        return Rendering(set: MetricSet(fragments), madeAt: madeAt)
    }
}

#if canImport(Glibc)
/// glibc's malloc_trim(3); its header is not part of the Glibc module.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
