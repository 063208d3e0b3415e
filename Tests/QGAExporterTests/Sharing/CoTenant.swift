import Foundation
import QGATestSupport

/// Another client of a guest agent's socket, modelled on Proxmox VE's agent calls
/// (`Tests/Tools/cotenant.py`): one short session per call, 3 s timeout, no retry.
enum CoTenant {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tools/cotenant.py").path

    struct CallsResult: Decodable {
        struct Latency: Decodable {
            var p50: Double?
            var p99: Double?
            var max: Double?
        }
        struct Failure: Decodable {
            var call: Int
            var command: String
            var error: String
        }
        var calls: Int
        var answered: Int
        var failures: [Failure]
        var elapsed_seconds: Double
        var latency_ms: Latency
    }

    /// `calls` read-only calls spread evenly over `seconds`.
    static func calls(socket: String, calls: Int, seconds: Double) async throws -> CallsResult {
        let result = try await Command.run("python3", [script, "calls", socket, "--calls", "\(calls)", "--seconds", "\(seconds)"])
        guard let decoded = try? JSONDecoder().decode(CallsResult.self, from: result.stdout) else {
            throw CoTenantError(output: result.text + result.stderr)
        }
        return decoded
    }

    struct BackupResult: Decodable {
        struct Step: Decodable {
            var ok: Bool
            var error: String?
            var ms: Double?
        }
        var freeze: Step
        var thaw: Step
        var status_after: String
    }

    /// A backup tool's freeze, `frozenSeconds` of snapshotting, thaw: each its own session.
    static func backup(socket: String, frozenSeconds: Double) async throws -> BackupResult {
        let result = try await Command.run("python3", [script, "backup", socket, "--frozen-seconds", "\(frozenSeconds)"])
        guard let decoded = try? JSONDecoder().decode(BackupResult.self, from: result.stdout) else {
            throw CoTenantError(output: result.text + result.stderr)
        }
        return decoded
    }
}

struct CoTenantError: Error, CustomStringConvertible {
    var output: String
    var description: String { "cotenant.py gave no result: \(output)" }
}
