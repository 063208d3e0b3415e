import Foundation
import QGATestSupport

/// The Debian 12 VM of `packaging/vm`: a real systemd system whose agent is Debian's own
/// `qemu-guest-agent` package, started Debian's way (its udev rule asks systemd for the unit
/// when the port `org.qemu.guest_agent.0` appears). `build-image` makes the image with
/// debootstrap (root only; cached under /var/cache/qga-exporter-tests/vm), `run` boots it under
/// TCG on a copy-on-write overlay in `directory`, which a second boot reuses.
final class DebianVM: QEMUMachine, @unchecked Sendable {
    static let scripts = repository + "/packaging/vm"

    /// build-image needs root (debootstrap, chroot).
    static let isRoot = geteuid() == 0

    /// The image's directory: built once per test run, or found in build-image's cache.
    private static let image = Task<String, any Error> {
        let result = try await Command.run(scripts + "/build-image", [])
        let directory = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !directory.isEmpty else {
            throw VMError(message: "packaging/vm/build-image failed (status \(result.status)): \(result.stderr.suffix(3000))")
        }
        return directory
    }

    private let imageDirectory: String
    private var boots = 0

    /// Builds or finds the image, then makes a fresh directory for one VM.
    static func make() async throws -> DebianVM {
        let image = try await image.value
        return DebianVM(directory: try TemporaryDirectory.make(prefix: "qga-debian"), image: image)
    }

    private init(directory: String, image: String) {
        imageDirectory = image
        super.init(directory: directory)
    }

    /// Boots the VM (the same overlay disk on every boot); returns once QEMU has created the
    /// agent socket. The console of an earlier boot is kept as `console.N.log`.
    func boot() async throws {
        boots += 1
        let console = directory + "/console.log"
        if boots > 1, FileManager.default.fileExists(atPath: console) {
            try? FileManager.default.moveItem(atPath: console, toPath: directory + "/console.\(boots - 1).log")
        }
        try await start(script: Self.scripts + "/run",
                        arguments: ["--dir", directory, "--image", imageDirectory, "--foreground"])
    }

    /// The consoles of every boot so far, for a failure's report.
    override var consoleReport: String { consoleLogs }

    var consoleLogs: String {
        let earlier = (1..<max(boots, 1)).map {
            (try? String(contentsOfFile: directory + "/console.\($0).log", encoding: .utf8)) ?? ""
        }
        return (earlier + [consoleLog]).enumerated().map { "--- boot \($0.offset + 1)\n\($0.element)" }.joined(separator: "\n")
    }
}
