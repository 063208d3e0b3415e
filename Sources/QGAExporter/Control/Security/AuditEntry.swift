import Foundation
import Logging
import Synchronization

/// One line per control API call: who, from where, which guest and command, the outcome and how
/// long it took. Never arguments, passwords, tokens or file contents.
struct AuditEntry: Sendable, Encodable, Equatable {
    var time: String
    var principal: String
    /// token, basic, socket; "none" when authentication failed.
    var auth: String
    var remote: String
    var method: String
    var path: String
    var guest: String?
    var command: String?
    var status: Int
    /// ok, denied (401/403), rejected (other 4xx), failed (5xx).
    var outcome: String
    var errorKind: String?
    var durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case time, principal, auth, remote, method, path, guest, command, status, outcome
        case errorKind = "error_kind"
        case durationSeconds = "duration_seconds"
    }

    static func outcome(for status: Int) -> String {
        switch status {
        case 200..<400: "ok"
        case 401, 403: "denied"
        case 400..<500: "rejected"
        default: "failed"
        }
    }
}
