import Foundation
import QGATestSupport

/// Another program holding the guest's agent socket, as a person with socat or a second
/// management tool would: a python3 process using `Tests/VM/qga.py` connects, syncs once the
/// channel is its own, and keeps the connection open until `release()`.
final class HoldingClient: @unchecked Sendable {
    private let process = Process()
    private let stdin = Pipe()
    private let markers: String

    /// True once its connect() returned (it may still be queued behind another client).
    var isConnected: Bool { FileManager.default.fileExists(atPath: markers + ".connected") }
    /// True once the agent answered its sync: the channel is now this client's.
    var isSynced: Bool { FileManager.default.fileExists(atPath: markers + ".synced") }

    init(socketPath: String, scratch: String) throws {
        markers = scratch + "/holder"
        let script = """
        import sys
        sys.path.insert(0, sys.argv[1])
        import qga
        agent = qga.Agent(sys.argv[2])
        open(sys.argv[3] + ".connected", "w").close()
        agent.sync(120)
        open(sys.argv[3] + ".synced", "w").close()
        sys.stdin.read()  # hold the connection until the test closes our stdin
        agent.close()
        """
        process.executableURL = URL(fileURLWithPath: try Command.which("python3"))
        process.arguments = ["-c", script, TestVM.scripts, socketPath, markers]
        process.environment = ["PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"]
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Closes the connection (the process exits when its stdin closes).
    func release() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
