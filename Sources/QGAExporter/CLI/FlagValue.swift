import ArgumentParser
import QGAProtocol

/// Flag values checked the same way everywhere, with the flag's name in the message.
enum FlagValue {
    /// A positive Prometheus duration (`15s`, `1m30s`, `500ms`).
    static func duration(_ text: String, _ flag: String, example: String = "15s, 500ms") throws -> Duration {
        guard let value = PrometheusDuration.parse(text), value > .zero else {
            throw ValidationError("\(flag): invalid duration \(text.debugDescription) (e.g. \(example))")
        }
        return value
    }

    static func positive(_ value: Int, _ flag: String, allowZero: Bool = false) throws -> Int {
        guard value > 0 || (allowZero && value == 0) else { throw ValidationError("\(flag) must be a positive number") }
        return value
    }

    static func connectionMode(_ text: String, _ flag: String) throws -> ConnectionMode {
        guard let mode = ConnectionMode(rawValue: text) else {
            throw ValidationError("\(flag) must be short or persistent, got \(text.debugDescription)")
        }
        return mode
    }
}
