import Foundation
import QGATestSupport
import Testing

/// A VM that one of the repository's run scripts (`Tests/VM/run-vm`, `packaging/vm/run`) starts
/// with `--foreground`, the script `exec`ing QEMU, so QEMU is this process's child. Its files
/// are in `directory`: the agent's chardev socket `qga.sock`, the serial console `console.log`,
/// QEMU's pidfile `qemu.pid`, and the disk, which a second boot of the same directory reuses.
///
/// Not `-daemonize`d: Foundation's `Process` learns of a child's exit from a socket the child
/// inherits, which a daemon would keep open, so waiting for the script would never end.
class QEMUMachine: @unchecked Sendable {
    /// The repository's root (this file is Tests/QGAExporterTests/VM/QEMUMachine.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Whether QEMU can run here at all.
    static let qemuRuns: Bool = {
        guard let qemu = try? Command.which("qemu-system-x86_64") else { return false }
        return (try? Command.runBlocking(qemu, ["--version"]))?.status == 0
    }()

    let directory: String
    /// QEMU processes started by `start` (one per boot), kept so they are reaped.
    private var qemu: [Process] = []
    private let lock = NSLock()

    var socketPath: String { directory + "/qga.sock" }
    var consoleLog: String { (try? String(contentsOfFile: directory + "/console.log", encoding: .utf8)) ?? "" }

    init(directory: String) {
        self.directory = directory
    }

    /// Runs `script` with `arguments` (which must include its foreground flag) and returns once
    /// QEMU has created the agent socket; the guest's agent answers there later.
    func start(script: String, arguments: [String], socketWithin limit: Duration = .seconds(30)) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = arguments
        // One handle for both streams, appended to: a second boot adds to the first one's log.
        let output = directory + "/run.log"
        if !FileManager.default.fileExists(atPath: output) { _ = FileManager.default.createFile(atPath: output, contents: nil) }
        let log = FileHandle(forWritingAtPath: output)
        _ = try? log?.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log?.close()  // the child has its own copy
        lock.withLock { qemu.append(process) }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: socketPath) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        if process.isRunning { process.terminate() }
        throw VMError(message: "QEMU did not create \(socketPath): \(text)")
    }

    /// Whether QEMU is still running (its pidfile names a live process).
    var isRunning: Bool {
        guard let pid = try? String(contentsOfFile: directory + "/qemu.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !pid.isEmpty else { return false }
        return FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }

    /// Runs `body`, then destroys the VM, also when `body` throws; a thrown error records the
    /// console (an `#expect` that fails names what it needs in its own message).
    func use(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            Issue.record("console of the VM:\n\(consoleReport)")
            await destroy()
            throw error
        }
        await destroy()
    }

    /// What a failure shows of the console (a VM booted twice shows both boots).
    var consoleReport: String { consoleLog }

    /// Stops QEMU if it still runs (SIGTERM through `Tests/VM/stop-vm`, which only signals the
    /// QEMU of this directory's pidfile) and removes the VM's directory.
    func destroy() async {
        _ = try? await Command.run(Self.repository + "/Tests/VM/stop-vm", ["--dir", directory, "--timeout", "3"])
        for process in lock.withLock({ qemu }) where process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct VMError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
