import Foundation
import Logging
import Synchronization

/// Appends entries as JSON lines to a file (opened with O_APPEND, so logrotate's copytruncate
/// and several writers are safe), or logs them with the `audit` label when no file is set.
final class AuditLog: Sendable {
    private let file: Mutex<FileHandle?>
    private let logger: Logger

    /// Fails when the file cannot be opened: an audit log that silently writes nothing is worse
    /// than an exporter that does not start.
    init(path: String?, logger: Logger) throws(ConfigError) {
        var logger = logger
        logger[metadataKey: "component"] = "audit"
        self.logger = logger
        guard let path else {
            file = Mutex(nil)
            return
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConfigError(file: path, line: nil, key: "control.audit_log",
                              message: "cannot open audit log: \(String(cString: strerror(errno)))")
        }
        file = Mutex(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

    func record(_ entry: AuditEntry) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = ((try? encoder.encode(entry)) ?? Data()) + Data("\n".utf8)
        let written = file.withLock { handle -> Bool in
            guard let handle else { return false }
            do {
                try handle.write(contentsOf: line)
                return true
            } catch {
                return false
            }
        }
        if !written {
            logger.info("control call", metadata: [
                "principal": "\(entry.principal)", "auth": "\(entry.auth)", "remote": "\(entry.remote)",
                "method": "\(entry.method)", "path": "\(entry.path)", "guest": "\(entry.guest ?? "-")",
                "command": "\(entry.command ?? "-")", "status": "\(entry.status)", "outcome": "\(entry.outcome)",
                "duration_seconds": "\(entry.durationSeconds)",
            ])
        }
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
