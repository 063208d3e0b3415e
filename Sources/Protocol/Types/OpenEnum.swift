/// An agent enum that keeps values it does not know: enums grow between agent versions
/// (`nvme` arrived in 7.1), and one new value must not make a whole reply undecodable.
/// Conformers have their known cases plus `unknown(String)`, list the known ones in `known`,
/// and name each in `rawValue`; reading a name back (`init(rawValue:)`) follows from those.
public protocol OpenEnum: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
    /// Every case but `unknown`.
    static var known: [Self] { get }
    /// A value this library does not know yet, kept as sent.
    static func unknown(_ rawValue: String) -> Self
}

extension OpenEnum {
    /// The known case of that name, else `unknown(rawValue)`.
    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .unknown(rawValue)
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
