// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Result of `guest-exec`.
public struct GuestExec: Codable, Sendable, Hashable {
    /// PID of the child process in the guest.
    public var pid: Int
}

/// Result of `guest-exec-status`.
public struct GuestExecStatus: Codable, Sendable, Hashable {
    /// Whether the process has terminated.
    public var exited: Bool
    /// Exit code if it terminated normally.
    public var exitCode: Int?
    /// Signal (Linux) or exception code (Windows) if it terminated abnormally.
    public var signal: Int?
    /// Captured stdout, base64, once the process has exited.
    public var outData: String?
    /// Captured stderr, base64, once the process has exited.
    public var errData: String?
    /// Whether stdout was cut at the capture limit.
    public var outTruncated: Bool?
    /// Whether stderr was cut at the capture limit.
    public var errTruncated: Bool?

    enum CodingKeys: String, CodingKey {
        case exited
        case exitCode = "exitcode"
        case signal
        case outData = "out-data"
        case errData = "err-data"
        case outTruncated = "out-truncated"
        case errTruncated = "err-truncated"
    }

    /// Captured stdout, decoded.
    public var output: Data? { outData.flatMap { Data(base64Encoded: $0) } }
    /// Captured stderr, decoded.
    public var errorOutput: Data? { errData.flatMap { Data(base64Encoded: $0) } }
}

/// What `guest-exec` captures (since 8.0).
public enum GuestExecCaptureOutputMode: OpenEnum {
    case none
    case stdout
    case stderr
    case separated
    case merged
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.none, .stdout, .stderr, .separated, .merged]

    public var rawValue: String {
        switch self {
        case .none: "none"
        case .stdout: "stdout"
        case .stderr: "stderr"
        case .separated: "separated"
        case .merged: "merged"
        case .unknown(let raw): raw
        }
    }
}

/// `capture-output` of `guest-exec`: an alternate of a flag (true captures stdout and stderr,
/// since 2.5) and a mode (preferred, since 8.0). Older agents accept only the flag.
public enum GuestExecCaptureOutput: Codable, Sendable, Hashable {
    case flag(Bool)
    case mode(GuestExecCaptureOutputMode)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else {
            self = .mode(try container.decode(GuestExecCaptureOutputMode.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .flag(let flag): try container.encode(flag)
        case .mode(let mode): try container.encode(mode)
        }
    }
}
