import Foundation
import QGATestSupport

/// The small Linux guest of `Tests/VM` (kernel + busybox + the host's qemu-ga, built from Debian
/// packages by `build-vm`), driven through its scripts: `run-vm` boots it under TCG with qemu-ga
/// on a virtio-serial port whose host side is `DIR/qga.sock`; `stop-vm` ends it.
final class TestVM: QEMUMachine, @unchecked Sendable {
    static let scripts = repository + "/Tests/VM"

    /// Builds (or finds cached) kernel and initramfs once per test run.
    private static let build = Task<Void, any Error> {
        let result = try await Command.run(scripts + "/build-vm", [])
        guard result.status == 0 else { throw VMError(message: "build-vm failed: \(result.stderr)") }
    }

    /// A fresh directory for one VM (its data disk is created on the first boot and kept).
    static func make() async throws -> TestVM {
        try await build.value
        return TestVM(directory: try TemporaryDirectory.make(prefix: "qga-vm"))
    }

    /// Boots the VM; returns once QEMU has created the agent socket (the agent answers later).
    /// `agentDelay` holds back the first agent start, `restartDelay` the pause after it dies.
    func boot(agentDelay: Int = 0, restartDelay: Int = 2) async throws {
        let append = "qga_delay=\(agentDelay) qga_restart_delay=\(restartDelay)"
        try await start(script: Self.scripts + "/run-vm",
                        arguments: ["--dir", directory, "--append", append, "--foreground"],
                        socketWithin: .seconds(15))
    }
}
