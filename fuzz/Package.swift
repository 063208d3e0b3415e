// swift-tools-version:6.2
import PackageDescription

// Coverage-guided fuzz targets (libFuzzer), built with `swift build --sanitize=fuzzer` by
// `fuzz/run`. A package of its own so the instrumented build never touches the main one.
//
// The frame and negotiation targets use the libraries of the main package. The config parser
// lives in the exporter executable, which no target can import; FuzzConfig compiles those
// sources itself through the symlinks in Sources/FuzzConfig/UnderTest (see docs/fuzzing.md).

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A fuzz target: the invariant check (FuzzSupport), the main package's `libraries` it fuzzes,
/// and any `other` dependencies.
func fuzzTarget(_ name: String, _ libraries: [String], _ other: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + libraries.map { .product(name: $0, package: "qga_exporter") } + other,
        swiftSettings: swiftSettings)
}

let package = Package(
    name: "qga_exporter_fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "qga_exporter", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // What the fuzz targets share: the invariant check.
        .target(name: "FuzzSupport", swiftSettings: swiftSettings),
        // Reply framing, the reply header and the typed results (QGAProtocol).
        fuzzTarget("FuzzFrames", ["QGAProtocol"], [.product(name: "NIOCore", package: "swift-nio")]),
        // Accept / Accept-Encoding negotiation (QGAMetrics).
        fuzzTarget("FuzzNegotiation", ["QGAMetrics"]),
        // The YAML config parser, compiled from the exporter's own sources.
        fuzzTarget("FuzzConfig", ["QGAProtocol", "QGAMetrics"], [.product(name: "Yams", package: "Yams")]),
    ]
)
