// swift-tools-version:6.2
import PackageDescription

// Upcoming features kept on for every target: explicit `any`, and imports that do not leak.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// QGA_ONLY_LIBS=1 leaves out the exporter and its heavy web dependencies, so work on the
// libraries builds in a fraction of the time on small machines. CI always builds everything.
let onlyLibraries = Context.environment["QGA_ONLY_LIBS"] != nil

// The event loops and sockets under the client, the simulator and the test agents.
let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

let package = Package(
    name: "qga_exporter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "qga_exporter", targets: ["QGAExporter"]),
        .executable(name: "qga-sim", targets: ["QGASim"]),
        .library(name: "QGAProtocol", targets: ["QGAProtocol"]),
        .library(name: "QGAMetrics", targets: ["QGAMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // The JSON value the client reads and the simulator writes (Sources/JSON).
        .target(name: "QGAJSON", path: "Sources/JSON", swiftSettings: swiftSettings),
        // The guest agent client: framing, transports, typed commands (Sources/Protocol).
        .target(
            name: "QGAProtocol",
            dependencies: ["QGAJSON", .product(name: "Logging", package: "swift-log")] + nio,
            path: "Sources/Protocol",
            swiftSettings: swiftSettings
        ),
        // Metric families, 0.0.4 / OpenMetrics encoders, negotiation, gzip, lint (Sources/Metrics).
        .target(
            name: "QGAMetrics",
            dependencies: [
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/Metrics",
            swiftSettings: swiftSettings
        ),
        // The exporter executable: config, discovery, scraper loop, collectors, HTTP, control API.
        .executableTarget(
            name: "QGAExporter",
            dependencies: [
                "QGAProtocol",
                "QGAMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/QGAExporter",
            swiftSettings: swiftSettings,
            plugins: ["EmbedOpenAPI"]
        ),
        // Compiles docs/openapi.yaml into the exporter at build time (Plugins/EmbedOpenAPI), so
        // the served API contract is the repository's file, with no second copy in git.
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["EmbedOpenAPITool"]),
        // The plugin's tool: writes the document into a Swift string literal.
        .executableTarget(name: "EmbedOpenAPITool", path: "Sources/EmbedOpenAPITool", swiftSettings: swiftSettings),
        // Simulated guest agents speaking the real protocol, with fault modes (Sources/Simulator).
        // A library so tests and benchmarks can run a fleet in-process.
        .target(
            name: "QGASimulator",
            dependencies: ["QGAJSON"] + nio,
            path: "Sources/Simulator",
            swiftSettings: swiftSettings
        ),
        // The `qga-sim` command: a fleet of simulated guests on unix sockets.
        .executableTarget(
            name: "QGASim",
            dependencies: [
                "QGASimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/QGASim",
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: real qemu-ga launcher, fake agent, process helpers.
        .target(
            name: "QGATestSupport",
            // QGAProtocol: the real agent blocks the catalogue's state-changing commands.
            dependencies: ["QGAProtocol"] + nio,
            path: "Tests/QGATestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QGAProtocolTests",
            dependencies: ["QGAProtocol", "QGATestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QGASimulatorTests",
            dependencies: ["QGASimulator", "QGAProtocol", "QGATestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QGAMetricsTests",
            dependencies: ["QGAMetrics", "QGATestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QGAExporterTests",
            dependencies: [
                "QGAExporter", "QGAProtocol", "QGAMetrics", "QGASimulator", "QGATestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

if onlyLibraries {
    package.targets.removeAll { ["QGAExporter", "QGAExporterTests"].contains($0.name) }
    package.products.removeAll { $0.name == "qga_exporter" }
}
