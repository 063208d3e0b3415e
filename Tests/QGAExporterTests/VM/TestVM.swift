import Foundation
import QGATestSupport

/// The small Linux guest of `Tests/VM` (kernel + busybox + the host's qemu-ga, built from Debian
/// packages by `build-vm`), driven through its scripts: `run-vm` boots it under TCG with qemu-ga
/// on a virtio-serial port whose host side is `DIR/qga.sock`; `stop-vm` ends it.
final class TestVM: @unchecked Sendable {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("VM").path

    /// Whether QEMU can run here at all; the only reason the VM tests skip.
    static let qemuRuns: Bool = {
        guard let qemu = try? Command.which("qemu-system-x86_64") else { return false }
        return (try? Command.runBlocking(qemu, ["--version"]))?.status == 0
    }()

    /// Builds (or finds cached) kernel and initramfs once per test run.
    private static let build = Task<Void, any Error> {
        let result = try await Command.run(scripts + "/build-vm", [])
        guard result.status == 0 else { throw VMError(message: "build-vm failed: \(result.stderr)") }
    }

    let directory: String
    /// QEMU processes started by `boot` (one per boot), kept so they are reaped.
    private var qemu: [Process] = []
    private let lock = NSLock()
    var socketPath: String { directory + "/qga.sock" }
    var consoleLog: String { (try? String(contentsOfFile: directory + "/console.log", encoding: .utf8)) ?? "" }

    /// A fresh directory for one VM (its data disk is created on the first boot and kept).
    static func make() async throws -> TestVM {
        try await build.value
        return TestVM(directory: try TemporaryDirectory.make(prefix: "qga-vm"))
    }

    private init(directory: String) {
        self.directory = directory
    }

    /// Boots the VM; returns once QEMU has created the agent socket (the agent answers later).
    /// `agentDelay` holds back the first agent start, `restartDelay` the pause after it dies.
    ///
    /// QEMU runs in the foreground as our child, not `-daemonize`d: Foundation's `Process`
    /// learns of a child's exit from a socket the child inherits, which a daemon would keep
    /// open, so waiting for run-vm would never end.
    func boot(agentDelay: Int = 0, restartDelay: Int = 2) async throws {
        let append = "qga_delay=\(agentDelay) qga_restart_delay=\(restartDelay)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.scripts + "/run-vm")
        process.arguments = ["--dir", directory, "--append", append, "--foreground"]
        let output = directory + "/run-vm.log"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle(forWritingAtPath: output)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        lock.withLock { qemu.append(process) }
        for _ in 0..<300 {
            if FileManager.default.fileExists(atPath: socketPath) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        if process.isRunning { process.terminate() }
        throw VMError(message: "QEMU did not create \(socketPath): \(log)")
    }

    /// Whether QEMU is still running (its pidfile names a live process).
    var isRunning: Bool {
        guard let pid = try? String(contentsOfFile: directory + "/qemu.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !pid.isEmpty else { return false }
        return FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    /// Stops QEMU if it still runs and removes the VM's directory.
    func destroy() async {
        _ = try? await Command.run(Self.scripts + "/stop-vm", ["--dir", directory, "--timeout", "3"])
        for process in lock.withLock({ qemu }) where process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct VMError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
