/// An agent enum that keeps values it does not know: enums grow between agent versions
/// (`nvme` arrived in 7.1), and one new value must not make a whole reply undecodable.
/// Conformers have their known cases plus `unknown(String)`, and map both ways in
/// `init(rawValue:)` / `rawValue`.
public protocol OpenEnum: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
}

extension OpenEnum {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
