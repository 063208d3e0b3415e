#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one place that configures JSON coding for the wire: requests are compact and sorted
/// (stable bytes are easier to read in logs and to compare in tests); replies are parsed by our
/// own `JSONParser` and decoded from the tree.
enum WireJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONValueDecoder.decode(type, from: JSONParser.parse(data))
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoder.decode(type, from: value)
    }
}

/// What an agent returns for commands without a result: `{}`.
public struct EmptyReply: Codable, Sendable, Hashable {
    public init() {}
}
