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
        .executableTarget(
            name: "FuzzFrames",
            dependencies: [
                "FuzzSupport",
                .product(name: "QGAProtocol", package: "qga_exporter"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Accept / Accept-Encoding negotiation (QGAMetrics).
        .executableTarget(
            name: "FuzzNegotiation",
            dependencies: ["FuzzSupport", .product(name: "QGAMetrics", package: "qga_exporter")],
            swiftSettings: swiftSettings
        ),
        // The YAML config parser, compiled from the exporter's own sources.
        .executableTarget(
            name: "FuzzConfig",
            dependencies: [
                "FuzzSupport",
                .product(name: "QGAProtocol", package: "qga_exporter"),
                .product(name: "QGAMetrics", package: "qga_exporter"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
