import Foundation
import Logging
import QGATestSupport
import Testing

@testable import QGAExporter

/// Config reload (SIGHUP) and shutdown (SIGTERM) of the real binary, and reload semantics in-process.
@Suite(.serialized) struct ReloadTests {
    @Test func reloadAddsAndRemovesGuestsAndKeepsTheConfigOnErrors() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qga-reload-\(UUID().uuidString).yml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "guests:\n  - {name: one, address: \"unix:/nonexistent/one.sock\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        var overrides = CommandLineOverrides()
        overrides.interval = .milliseconds(200)
        overrides.timeout = .milliseconds(200)
        let exporter = try Exporter(source: ConfigSource(file: path, overrides: overrides), logger: .init(label: "t"))
        await exporter.start()
        #expect(exporter.store.reports().map(\.name) == ["one"])

        try "guests:\n  - {name: two, address: \"unix:/nonexistent/two.sock\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(await exporter.reload())
        #expect(exporter.store.reports().map(\.name) == ["two"])

        try "guests:\n  - {name: three, address: \"nfs:/bad\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(await exporter.reload() == false)
        #expect(exporter.store.reports().map(\.name) == ["two"])
        #expect(exporter.config.guests.map(\.name) == ["two"])
        await exporter.fleet.stopAll()
    }

    /// The built binary: SIGHUP picks up a new guest, SIGTERM exits cleanly and promptly.
    @Test func realBinaryReloadsOnSighupAndStopsOnSigterm() async throws {
        let agent = try await RealAgent.start()
        let directory = try TemporaryDirectory.make(prefix: "qga-hup")
        let config = directory + "/config.yml"
        try "guests:\n  - {name: first, address: \"unix:\(agent.socketPath)\"}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let port = try FreePort.loopback()
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--config.file", config, "--poll.interval", "500ms", "--web.listen-address", "127.0.0.1:\(port)"]
        let log = directory + "/log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()

        #expect(await waitForMetrics(port: port, containing: #"qga_up{guest="first"} 1"#))
        try "guests:\n  - {name: second, address: \"unix:\(agent.socketPath)\"}\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        #expect(await waitForMetrics(port: port, containing: #"qga_up{guest="second"} 1"#))
        let body = try await HTTP.get("http://127.0.0.1:\(port)/metrics").text
        #expect(!body.contains(#"guest="first""#), "a removed guest stops being exported")

        // A broken file: the running config stays, the log says why.
        try "poll:\n  interval: soon\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .seconds(1))
        #expect(try await HTTP.get("http://127.0.0.1:\(port)/metrics").text.contains(#"qga_up{guest="second"} 1"#))
        let logText = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logText.contains("config reload failed"))
        #expect(logText.contains("config.yml:2: poll.interval: invalid duration"))

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "SIGTERM must stop the exporter")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        await agent.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The qga_exporter binary next to this test bundle (swift build puts both in one folder).
    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("qga_exporter").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("qga_exporter")
    }

    private func waitForMetrics(port: Int, containing text: String) async -> Bool {
        await eventually { (try? await HTTP.get("http://127.0.0.1:\(port)/metrics").text)?.contains(text) == true }
    }
}
