import Foundation
import QGAProtocol

/// A real `qemu-ga` listening on a unix socket in a temp dir, started for one test.
///
/// SAFETY: the agent runs as this user on THIS machine and its commands act on this machine.
/// Every state-changing command is blocked with `-b`; exercise those against `FakeAgent` only.
public final class RealAgent: @unchecked Sendable {
    public static let executable = "/usr/sbin/qemu-ga"

    /// Commands that change the host: never let a test agent run them. The protocol's catalogue
    /// says which they are.
    public static let blockedCommands = AgentCommands.names(.stateChanging)

    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: executable)
    }

    /// The newest qemu-ga Debian has for this release (bookworm-backports), unpacked beside the
    /// system's by `scripts/install-newest-qemu-ga` (the test command runs it).
    public static let newestExecutable = newestDirectory + "/usr/sbin/qemu-ga"

    /// The newest one's Debian package itself, for the Debian test VM's agent upgrade.
    public static let newestPackage = newestDirectory + "/qemu-guest-agent.deb"

    private static let newestDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".test-artifacts/qemu-ga-newest").path

    /// Every agent build the tests can run here: the system's, and the newest once unpacked.
    public static var executables: [String] {
        [executable, newestExecutable].filter { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public let directory: String
    public let socketPath: String
    public let logPath: String
    private let process: Process

    public var pid: Int32 { process.processIdentifier }

    private init(directory: String, process: Process) {
        self.directory = directory
        self.socketPath = directory + "/qga.sock"
        self.logPath = directory + "/qemu-ga.log"
        self.process = process
    }

    /// Starts the agent and waits (up to `readyTimeout`) until its socket accepts connections.
    public static func start(executable: String = RealAgent.executable, readyTimeout: Duration = .seconds(10)) async throws -> RealAgent {
        guard FileManager.default.isExecutableFile(atPath: executable) else { throw RealAgentError.notInstalled }
        let directory = try TemporaryDirectory.make(prefix: "qga-real")
        let process = Process()
        let agent = RealAgent(directory: directory, process: process)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-m", "unix-listen", "-p", agent.socketPath, "-t", directory,
            "-b", blockedCommands.joined(separator: ","),
        ]
        FileManager.default.createFile(atPath: agent.logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: agent.logPath)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: readyTimeout)
        while clock.now < deadline {
            if !process.isRunning {
                let output = (try? String(contentsOfFile: agent.logPath, encoding: .utf8)) ?? ""
                agent.removeDirectory()
                throw RealAgentError.exited(status: process.terminationStatus, output: output)
            }
            if UnixSocketProbe.accepts(path: agent.socketPath) { return agent }
            try await Task.sleep(for: .milliseconds(20))
        }
        await agent.stop()
        throw RealAgentError.notReady(socketPath: agent.socketPath)
    }

    /// SIGKILL, then removes the temp dir. Not SIGTERM: the agent inherits the signal
    /// dispositions of the test process, where signal-handling libraries may ignore SIGTERM,
    /// and an agent that never exits outlives the test run.
    public func stop() async {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        removeDirectory()
    }

    /// A test that failed before calling `stop()` must not leave its agent behind.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

public enum RealAgentError: Error, CustomStringConvertible {
    case notInstalled
    case exited(status: Int32, output: String)
    case notReady(socketPath: String)

    public var description: String {
        switch self {
        case .notInstalled: "qemu-ga is not installed at \(RealAgent.executable) (scripts/install-test-deps installs it)"
        case .exited(let status, let output): "qemu-ga exited with status \(status): \(output)"
        case .notReady(let path): "qemu-ga did not accept connections on \(path)"
        }
    }
}
