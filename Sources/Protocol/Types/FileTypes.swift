// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Result of `guest-file-read`.
public struct GuestFileRead: Codable, Sendable, Hashable {
    /// Number of bytes read (before base64 encoding).
    public var count: Int
    /// The bytes read, base64-encoded.
    public var bufB64: String
    /// Whether end of file was reached.
    public var eof: Bool

    enum CodingKeys: String, CodingKey {
        case count
        case bufB64 = "buf-b64"
        case eof
    }

    /// The bytes read, decoded; nil if `bufB64` is not valid base64.
    public var data: Data? { Data(base64Encoded: bufB64) }
}

/// Result of `guest-file-write`.
public struct GuestFileWrite: Codable, Sendable, Hashable {
    /// Number of bytes written (after base64 decoding).
    public var count: Int
    /// Whether end of file was reached.
    public var eof: Bool
}

/// Result of `guest-file-seek`.
public struct GuestFileSeek: Codable, Sendable, Hashable {
    /// Current file position.
    public var position: Int
    /// Whether end of file was reached.
    public var eof: Bool
}

/// Symbolic names for `guest-file-seek` (since 2.6).
public enum QGASeek: OpenEnum {
    case set
    case cur
    case end
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.set, .cur, .end]

    public var rawValue: String {
        switch self {
        case .set: "set"
        case .cur: "cur"
        case .end: "end"
        case .unknown(let raw): raw
        }
    }
}

/// What `offset` of `guest-file-seek` is relative to: an alternate of an integer (0 set, 1 cur,
/// 2 end; historic) and a symbolic name (preferred, since 2.6).
public enum GuestFileWhence: Codable, Sendable, Hashable {
    case value(Int)
    case name(QGASeek)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .value(value)
        } else {
            self = .name(try container.decode(QGASeek.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let value): try container.encode(value)
        case .name(let name): try container.encode(name)
        }
    }
}
