// swift-tools-version:6.2
import PackageDescription

// Benchmarks of the exposition library, kept out of the main package so its build stays lean.
// Run from this folder: `swift package benchmark` (see README.md here).
let package = Package(
    name: "qga_exporter-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "qga_exporter", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "ExpositionBenchmarks",
            dependencies: [
                .product(name: "QGAMetrics", package: "qga_exporter"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/ExpositionBenchmarks",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
