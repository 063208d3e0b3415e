import Logging

/// `--log.level` and `--log.format`, as Prometheus exporters spell them.
enum LogFormat: String, Sendable, CaseIterable {
    case logfmt, json
}

enum LogSetup {
    static func level(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "debug": .debug
        case "info": .info
        case "warn", "warning": .warning
        case "error": .error
        default: nil
        }
    }

    /// Installs the process-wide handler once, before anything logs.
    static func bootstrap(level: Logger.Level, format: LogFormat) {
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
    }
}
