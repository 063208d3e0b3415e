import Foundation
import QGAProtocol

/// The real qemu-ga 7.2 on this machine in unix-listen mode, with every state-changing command
/// blocked (it runs as root and acts on the host). `startFrozen` plants the marker a previous
/// instance leaves when it exits with frozen filesystems: the agent then starts in frozen
/// mode without freezing anything.
final class RealAgent {
    static let binary = "/usr/sbin/qemu-ga"
    static let blockList = AgentCommands.names(.stateChanging)

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let socketPath: String
    private let directory: URL
    private let process = Process()

    init(startFrozen: Bool = false) throws {
        directory = try TemporaryDirectory.make(prefix: "real-qga")
        socketPath = directory.appendingPathComponent("qga.sock").path
        let state = directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        if startFrozen {
            _ = FileManager.default.createFile(atPath: state.appendingPathComponent("qga.state.isfrozen").path, contents: nil)
        }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "-m", "unix-listen", "-p", socketPath, "-t", state.path, "-b", Self.blockList.joined(separator: ","),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard Date() < deadline, process.isRunning else {
                stop()
                throw RawAgentClient.Failure(description: "qemu-ga did not create \(socketPath)")
            }
            usleep(20_000)
        }
    }

    /// SIGKILL: the agent inherits the test process's blocked signal mask, so SIGTERM would
    /// wait forever; and a killed agent cannot run its exit-time thaw on the host either.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

enum TemporaryDirectory {
    /// A fresh short directory (unix socket paths are limited to 108 bytes).
    static func make(prefix: String) throws -> URL {
        let url = URL(fileURLWithPath: "/tmp/\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
