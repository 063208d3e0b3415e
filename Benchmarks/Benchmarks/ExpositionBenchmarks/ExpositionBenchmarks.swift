import Benchmark
import NIOCore
import Prometheus
import QGAMetrics

/// Every benchmark below is one scrape's work; divide its time by the series count (printed
/// in the name) for ns/series. Malloc counts show what grows with families or with series.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 5,
        maxDuration: .seconds(3),
        maxIterations: 500
    )

    let standard = Workload(families: 20, seriesPerFamily: 250)
    let set = MetricSet(standard.buildFamilies())

    for format in [ExpositionFormat.prometheusText, .openMetrics] {
        let formatName = format == .prometheusText ? "0.0.4" : "OpenMetrics"
        Benchmark("Encode \(formatName), 5000 series") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(ExpositionEncoder.encode(set, format: format)) }
        }
        Benchmark("Encode \(formatName) + gzip, 5000 series") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(Gzip.body(of: ByteBuffer(bytes: ExpositionEncoder.encode(set, format: format))))
            }
        }
        Benchmark("Build + MetricSet + encode \(formatName), 5000 series") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ExpositionEncoder.encode(MetricSet(standard.buildFamilies()), format: format))
            }
        }
    }

    // The parts of a poll cycle's work before encoding, to see where the full pipeline's time goes.
    Benchmark("Build families only, 5000 series") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(standard.buildFamilies()) }
    }
    Benchmark("Build + MetricSet, 5000 series") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(MetricSet(standard.buildFamilies())) }
    }

    // Same families, 5x the series: encoder allocations must stay flat.
    let small = MetricSet(Workload(families: 20, seriesPerFamily: 50).buildFamilies())
    Benchmark("Encode 0.0.4, 1000 series (allocation scaling)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ExpositionEncoder.encode(small, format: .prometheusText)) }
    }
    let fewFamilies = MetricSet(Workload(families: 5, seriesPerFamily: 1000).buildFamilies())
    Benchmark("Encode 0.0.4, 5000 series in 5 families (allocation scaling)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ExpositionEncoder.encode(fewFamilies, format: .prometheusText)) }
    }

    // swift-prometheus 2.x on the same 5000 series. Its registry keeps series and pre-renders
    // their labels when they are registered, so `emit` alone is its best case; registering the
    // series afresh and emitting is the like-for-like comparison with a poll cycle's build.
    let registry = register(standard)
    Benchmark("swift-prometheus emit, 5000 series") { benchmark in
        var buffer: [UInt8] = []
        for _ in benchmark.scaledIterations {
            buffer.removeAll(keepingCapacity: true)
            registry.emit(into: &buffer)
            blackHole(buffer)
        }
    }
    Benchmark("swift-prometheus register + emit, 5000 series") { benchmark in
        for _ in benchmark.scaledIterations {
            var buffer: [UInt8] = []
            register(standard).emit(into: &buffer)
            blackHole(buffer)
        }
    }
}

private func register(_ workload: Workload) -> PrometheusCollectorRegistry {
    let registry = PrometheusCollectorRegistry()
    for family in 0..<workload.families {
        let help = "Benchmark family \(family)."
        for series in 0..<workload.seriesPerFamily {
            let labels = workload.labels(series: series)
            let value = workload.value(family: family, series: series)
            if family % 2 == 0 {
                registry.makeCounter(name: workload.name(family: family) + "_total", labels: labels, help: help)
                    .increment(by: value)
            } else {
                registry.makeGauge(name: workload.name(family: family), labels: labels, help: help).set(to: value)
            }
        }
    }
    return registry
}
