#if canImport(Glibc)
import Glibc
#endif
import Foundation
import QGATestSupport

/// The built `qga_exporter` binary running on a free loopback port, as an operator runs it:
/// its own process, so signals, file descriptors and exit codes are the real ones.
final class ExporterProcess: @unchecked Sendable, Stoppable {
    let port: Int
    let directory: String
    private let process: Process

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? "" }
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts the binary with `arguments` (plus the listen address) and waits until it serves.
    static func start(_ arguments: [String]) async throws -> ExporterProcess {
        let directory = try TemporaryDirectory.make(prefix: "qga-proc")
        let port = try FreePort.loopback()
        let process = Process()
        process.executableURL = ReloadTests.binary
        process.arguments = arguments + ["--web.listen-address", "127.0.0.1:\(port)"]
        FileManager.default.createFile(atPath: directory + "/log", contents: nil)
        let log = FileHandle(forWritingAtPath: directory + "/log")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let exporter = ExporterProcess(port: port, directory: directory, process: process)
        for _ in 0..<200 {
            let health = exporter.url("/-/healthy")
            if (try? await HTTP.get(health, timeout: 2))?.status == 200 { return exporter }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = exporter.log
        await exporter.stop()
        throw ExporterProcessError(message: "qga_exporter did not start serving: \(output)")
    }

    private init(port: Int, directory: String, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Open file descriptors of the process (sockets included), from /proc.
    var openFileDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// Sends `signal` and waits up to `limit` for the exit; true if it exited in time.
    func signal(_ signal: Int32, exitWithin limit: Duration) async -> Bool {
        kill(pid, signal)
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }

    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// SIGKILL if still running, and removes the scratch directory.
    func stop() async {
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct ExporterProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension ExporterProcess {
    /// Runs `body` with a started binary and always kills it afterwards.
    static func with<T>(_ arguments: [String], _ body: (ExporterProcess) async throws -> T) async throws -> T {
        try await start(arguments).use(body)
    }
}
