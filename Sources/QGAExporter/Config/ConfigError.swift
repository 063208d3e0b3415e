/// A problem with one value, before we know where in which file it sits.
struct ConfigProblem: Error, Sendable, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A config error an operator can act on: the file, the line, the key path and what is wrong.
struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    var file: String
    var line: Int?
    var key: String?
    var message: String

    var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let key, !key.isEmpty { text += ": \(key)" }
        return text + ": " + message
    }
}
