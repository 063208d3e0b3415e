import Foundation

/// A real libvirtd of our own, started without systemd in a private mount namespace by
/// Tests/Libvirt/start-libvirtd (the host's /etc and libvirt state stay untouched), reached over
/// `qemu:///system?socket=...`. Needs root; installs libvirt with apt-get when it is missing.
struct PrivateLibvirtd {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = repository.appendingPathComponent("Tests/Libvirt")
    /// QEMU's probed capabilities, kept between runs (probing takes seconds under TCG).
    static let capabilityCache = repository.appendingPathComponent(".test-artifacts/libvirt-cache").path

    /// Short, because libvirtd's sockets live inside it (sun_path holds 107 bytes).
    let directory: String
    let uri: String
    var readOnlyURI: String { "qemu:///system?socket=\(directory)/run/libvirt-sock-ro" }

    static func start() throws -> PrivateLibvirtd {
        guard getuid() == 0 else {
            throw LibvirtTestError("the libvirt tests run a system libvirtd and QEMU: run them as root")
        }
        let directory = "/tmp/qga-lv-\(UUID().uuidString.prefix(8).lowercased())"
        let result = try Command.run(scripts.appendingPathComponent("start-libvirtd").path,
                                     ["--dir", directory, "--cache", capabilityCache])
        guard result.status == 0 else {
            throw LibvirtTestError("start-libvirtd failed (\(result.status)): \(result.stderr)")
        }
        return PrivateLibvirtd(directory: directory, uri: result.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Destroys its domains, ends libvirtd and removes the directory.
    func stop() {
        _ = try? Command.run(Self.scripts.appendingPathComponent("stop-libvirtd").path, ["--dir", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `virsh -c URI ARGS...`; throws with virsh's words when it fails.
    @discardableResult
    func virsh(_ arguments: String...) throws -> String {
        let result = try Command.run("virsh", ["-c", uri] + arguments)
        guard result.status == 0 else {
            throw LibvirtTestError("virsh \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` with a started libvirtd and always stops it afterwards.
    static func with<T>(_ body: (PrivateLibvirtd) async throws -> T) async throws -> T {
        let libvirtd = try start()
        do {
            let result = try await body(libvirtd)
            libvirtd.stop()
            return result
        } catch {
            libvirtd.stop()
            throw error
        }
    }
}

struct LibvirtTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
