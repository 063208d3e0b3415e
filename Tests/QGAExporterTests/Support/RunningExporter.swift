import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import QGATestSupport
import Synchronization

@testable import QGAExporter

/// The real exporter, in this process, polling real agents and serving HTTP on a free loopback
/// port, so tests talk to it with a real HTTP client over a real socket. Built by
/// `buildApplication`, as `serve` builds it: the same listeners, limits and routes.
final class RunningExporter: Sendable, Stoppable {
    let exporter: Exporter
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var store: SnapshotStore { exporter.store }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    static func start(configYAML: String? = nil, guests: [String] = [], interval: Duration = .seconds(1),
                      timeout: Duration = .seconds(2), renderFreshFor: Duration = .zero,
                      webLimits: WebLimits = WebLimits()) async throws -> RunningExporter {
        var overrides = CommandLineOverrides()
        overrides.guests = try guests.map { text throws(ConfigProblem) in try CommandLineOverrides.parseGuest(text) }
        overrides.interval = interval
        overrides.timeout = timeout
        var file: String?
        if let configYAML {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("qga-test-\(UUID().uuidString).yml").path
            try configYAML.write(toFile: path, atomically: true, encoding: .utf8)
            file = path
        }
        var logger = Logger(label: "qga.test")
        logger.logLevel = .warning
        var settings = ServeSettings(source: ConfigSource(file: file, overrides: overrides))
        settings.listenAddresses = [try ListenAddress.parse("127.0.0.1:0")]
        settings.renderFreshFor = renderFreshFor
        settings.webLimits = webLimits
        // The production assembly, as `serve` builds it; only the port is the test's.
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let application = try buildApplication(settings, logger: logger) { _, channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: application.services.map { .init(service: $0) }, logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await value in portStream { port = value }
        return RunningExporter(exporter: application.exporter, port: port, group: group, task: task)
    }

    private init(exporter: Exporter, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.exporter = exporter
        self.port = port
        self.group = group
        self.task = task
    }

    /// Waits (up to `limit`) until `condition` holds for the snapshot; false if it never did.
    func wait(upTo limit: Duration = .seconds(30), until condition: (SnapshotStore) -> Bool) async -> Bool {
        await eventually(within: limit) { condition(store) }
    }

    /// Runs `body` with a started exporter and always stops it afterwards.
    static func with<T>(configYAML: String? = nil, guests: [String] = [], interval: Duration = .seconds(1),
                        timeout: Duration = .seconds(2), renderFreshFor: Duration = .zero, webLimits: WebLimits = WebLimits(),
                        _ body: (RunningExporter) async throws -> T) async throws -> T {
        try await start(configYAML: configYAML, guests: guests, interval: interval, timeout: timeout,
                        renderFreshFor: renderFreshFor, webLimits: webLimits).use(body)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

extension SnapshotStore {
    func state(of guest: String) -> GuestReport.State? { report(named: guest)?.state }
}
