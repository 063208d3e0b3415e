import Foundation
import QGATestSupport

/// A real libvirtd of our own, started without systemd in a private mount namespace by
/// Tests/Libvirt/start-libvirtd (the host's /etc and libvirt state stay untouched), reached over
/// `qemu:///system?socket=...`. Needs root; installs libvirt with apt-get when it is missing.
struct PrivateLibvirtd: Sendable, Stoppable {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = repository.appendingPathComponent("Tests/Libvirt")
    /// QEMU's probed capabilities, kept between runs (probing takes seconds under TCG).
    static let capabilityCache = repository.appendingPathComponent(".test-artifacts/libvirt-cache").path

    /// Short, because libvirtd's sockets live inside it (sun_path holds 107 bytes).
    let directory: String
    let uri: String
    var readOnlyURI: String { "qemu:///system?socket=\(directory)/run/libvirt-sock-ro" }

    static func start() async throws -> PrivateLibvirtd {
        guard getuid() == 0 else {
            throw LibvirtTestError("the libvirt tests run a system libvirtd and QEMU: run them as root")
        }
        let directory = "/tmp/qga-lv-\(UUID().uuidString.prefix(8).lowercased())"
        let script = scripts.appendingPathComponent("start-libvirtd").path
        let result = try await Command.run(script, ["--dir", directory, "--cache", capabilityCache])
        guard result.status == 0 else {
            throw LibvirtTestError("start-libvirtd failed (\(result.status)): \(result.stderr)")
        }
        return PrivateLibvirtd(directory: directory, uri: result.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Destroys its domains, ends libvirtd and removes the directory.
    func stop() async {
        let script = Self.scripts.appendingPathComponent("stop-libvirtd").path
        _ = try? await Command.run(script, ["--dir", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `virsh -c URI ARGS...`; throws with virsh's words when it fails.
    @discardableResult
    func virsh(_ arguments: String...) async throws -> String {
        let result = try await Command.run("virsh", ["-c", uri] + arguments)
        guard result.status == 0 else {
            throw LibvirtTestError("virsh \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` with a started libvirtd and always stops it afterwards.
    static func with<T>(_ body: (PrivateLibvirtd) async throws -> T) async throws -> T {
        try await start().use(body)
    }
}

struct LibvirtTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
