#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one place that configures JSON coding for the wire, so requests are compact and sorted
/// (stable bytes are easier to read in logs and to compare in tests).
enum WireJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}

/// What an agent returns for commands without a result: `{}`.
public struct EmptyReply: Codable, Sendable, Hashable {
    public init() {}
}

/// Unwraps `{"return": X, ...}` without looking at anything else in the line.
struct ReturnEnvelope<Value: Decodable>: Decodable {
    let value: Value

    enum CodingKeys: String, CodingKey {
        case value = "return"
    }
}
