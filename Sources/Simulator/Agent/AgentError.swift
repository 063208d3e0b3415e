/// An error reply, `{"error": {"class": ..., "desc": ...}}`, with qemu-ga 7.2's wordings (and
/// the few older and newer ones the agent profiles need).
public struct AgentError: Error, Equatable, Sendable {
    public enum ErrorClass: String, Sendable {
        case genericError = "GenericError"
        case commandNotFound = "CommandNotFound"
    }

    public var errorClass: ErrorClass
    public var desc: String

    public init(_ errorClass: ErrorClass, _ desc: String) {
        self.errorClass = errorClass
        self.desc = desc
    }

    static func generic(_ desc: String) -> AgentError { AgentError(.genericError, desc) }

    static func commandNotFound(_ name: String) -> AgentError {
        AgentError(.commandNotFound, "The command \(name) has not been found")
    }

    /// Blocked with `-b` (no reason) or disabled while filesystems are frozen (with one).
    static func commandDisabled(_ name: String, reason: String? = nil) -> AgentError {
        AgentError(.commandNotFound, "Command \(name) has been disabled" + (reason.map { ": \($0)" } ?? ""))
    }

    static let frozenReason = "the agent is in frozen state"

    /// 9.1 on: blocked and frozen-out commands alike.
    static let notAllowedReason = "the command is not allowed"

    /// Before 4.1 a refusal was a GenericError, and said nothing of why.
    static func commandDisabledLegacy(_ name: String) -> AgentError {
        .generic("The command \(name) has been disabled for this instance")
    }

    /// QERR_UNSUPPORTED, what the stubs of commands a platform lacks answered before 9.1.
    static let unsupported = AgentError.generic("this feature or command is not currently supported")

    static func parse(_ message: String) -> AgentError { .generic("JSON parse error, \(message)") }

    static func missingParameter(_ name: String) -> AgentError { .generic("Parameter '\(name)' is missing") }

    static func unexpectedParameter(_ name: String) -> AgentError { .generic("Parameter '\(name)' is unexpected") }

    static func invalidType(_ name: String, expected: String) -> AgentError {
        .generic("Invalid parameter type for '\(name)', expected: \(expected)")
    }

    static func invalidValue(_ name: String, _ value: String) -> AgentError {
        .generic("Parameter '\(name)' does not accept value '\(value)'")
    }

    static func invalidParameter(_ name: String) -> AgentError { .generic("Invalid parameter '\(name)'") }

    static func handleNotFound(_ handle: Int64) -> AgentError { .generic("handle '\(handle)' has not been found") }

    static let invalidBase64 = AgentError.generic("Base64 data contains invalid characters")

    var json: JSONValue {
        .object(["class": .string(errorClass.rawValue), "desc": .string(desc)])
    }
}
