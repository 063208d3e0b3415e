import NIOCore
import QGAMetrics
import Synchronization

/// Renders `/metrics` from the snapshot at most once per `minimumAge`, and serves every request
/// in between from the bodies already made (one per format and encoding, made on first use).
/// While one request renders, others get the previous bodies instead of waiting.
final class ExpositionCache: Sendable {
    struct Variant: Hashable, Sendable {
        var format: ExpositionFormat
        var encoding: ContentEncoding
    }

    private final class Rendering: Sendable {
        let exposition: RenderedExposition
        let madeAt: ContinuousClock.Instant
        let buffers = Mutex<[Variant: ByteBuffer]>([:])

        init(exposition: RenderedExposition, madeAt: ContinuousClock.Instant) {
            self.exposition = exposition
            self.madeAt = madeAt
        }

        func body(_ variant: Variant) -> ByteBuffer {
            if let buffer = buffers.withLock({ $0[variant] }) { return buffer }
            let buffer = ByteBuffer(bytes: exposition.body(format: variant.format, encoding: variant.encoding))
            buffers.withLock { $0[variant] = buffer }
            return buffer
        }
    }

    private struct State {
        var current: Rendering?
        var rendering = false
    }

    private let store: SnapshotStore
    private let minimumAge: Duration
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    init(store: SnapshotStore, minimumAge: Duration = .seconds(1)) {
        self.store = store
        self.minimumAge = minimumAge
    }

    func body(_ variant: Variant) -> ByteBuffer {
        current().body(variant)
    }

    private func current() -> Rendering {
        let now = clock.now
        let cached: Rendering? = state.withLock { state in
            // The process metrics change on their own, so age alone decides, not the generation.
            if let current = state.current, now - current.madeAt < minimumAge || state.rendering {
                return current
            }
            state.rendering = true
            return nil
        }
        if let cached { return cached }
        let rendering = render()
        state.withLock { state in
            state.current = rendering
            state.rendering = false
        }
        return rendering
    }

    private func render() -> Rendering {
        let madeAt = clock.now
        let reports = store.reports().reports
        var fragments: [MetricFamily] = []
        for report in reports { fragments += report.families }
        fragments += ExporterMetrics.families(reports: reports, pollCounts: store.pollCounts)
        return Rendering(exposition: RenderedExposition(MetricSet(fragments)), madeAt: madeAt)
    }
}
