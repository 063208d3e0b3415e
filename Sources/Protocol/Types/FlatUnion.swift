/// What the agent's flat unions on `type` share (`GuestCpuStats`, `GuestDeviceId`,
/// `GuestDiskSmart`): one object holds the variant's `type` beside the variant's own members.
enum FlatUnion {
    private enum TypeKey: String, CodingKey {
        case type
    }

    /// The `type` member.
    static func type<Tag: Decodable>(_: Tag.Type, in decoder: any Decoder) throws -> Tag {
        try decoder.container(keyedBy: TypeKey.self).decode(Tag.self, forKey: .type)
    }

    /// A known variant: its members, then its `type`.
    static func encode(_ members: some Encodable, type: some Encodable, to encoder: any Encoder) throws {
        try members.encode(to: encoder)
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
    }
}
