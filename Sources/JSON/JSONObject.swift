/// A JSON object: its members in the order they were read or added, each name once.
///
/// The order is kept for the simulator, which writes members as qemu-ga does: by the hash of
/// each name, and among names that share a hash bucket (`load1m` and `load5m`) by the order the
/// agent added them. Equality and hashing ignore the order, as JSON does.
///
/// Lookups scan the members, which is quickest for the agent's small objects. Past
/// `indexedCount` members a name index takes over, so that a hostile reply of millions of
/// members cannot make reading it (each name checked against the earlier ones) quadratic.
public struct JSONObject: Sendable {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
    }

    public private(set) var members: [Member] = []
    private var positions: [String: Int]?
    static let indexedCount = 32

    public init() {}

    /// An object of these members, in this order; a repeated name keeps its last value.
    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        for (key, value) in pairs { self[key] = value }
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    /// The member's value; setting a new name adds it at the end, setting nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let index = position(of: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                    reindex()
                }
            } else if let newValue {
                append(Member(key: key, value: newValue))
            }
        }
    }

    /// Adds the member unless its name is taken, and says whether it did: parsers keep a
    /// repeated name's first value, or refuse it.
    @discardableResult
    public mutating func addIfAbsent(_ key: String, _ value: JSONValue) -> Bool {
        guard position(of: key) == nil else { return false }
        append(Member(key: key, value: value))
        return true
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    private mutating func append(_ member: Member) {
        members.append(member)
        if positions != nil {
            positions?[member.key] = members.count - 1
        } else if members.count > Self.indexedCount {
            reindex()
        }
    }

    private mutating func reindex() {
        positions = members.count > Self.indexedCount
            ? Dictionary(uniqueKeysWithValues: zip(members.lazy.map(\.key), members.indices)) : nil
    }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Independent of the order, as equality is: the members' hashes combined commutatively.
        hasher.combine(members.reduce(0) { $0 ^ $1.hashValue })
    }
}

extension JSONObject: Codable {
    private struct Name: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Name.self)
        // A keyed container lists its names in no set order: sorted, decoding is repeatable.
        for name in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            self[name.stringValue] = try container.decode(JSONValue.self, forKey: name)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Name.self)
        for member in members { try container.encode(member.value, forKey: Name(stringValue: member.key)) }
    }
}
