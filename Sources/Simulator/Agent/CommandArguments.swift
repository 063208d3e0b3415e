/// Reads a command's `arguments` as qemu's QAPI input visitor does: type errors name the
/// parameter, and members nobody asked for are rejected at the end ("Parameter 'x' is
/// unexpected").
struct CommandArguments {
    private let object: JSONObject
    private var visited: Set<String> = []

    init(_ object: JSONObject?) { self.object = object ?? JSONObject() }

    private mutating func value(_ name: String) -> JSONValue? {
        visited.insert(name)
        guard let value = object[name], value != .null else { return nil }
        return value
    }

    /// The argument as `read` takes it; nil when absent or null, a type error when `read` fails.
    private mutating func optional<T>(_ name: String, _ expected: String, _ read: (JSONValue) -> T?) throws(AgentError) -> T? {
        guard let value = value(name) else { return nil }
        guard let typed = read(value) else { throw .invalidType(name, expected: expected) }
        return typed
    }

    private func required<T>(_ name: String, _ value: T?) throws(AgentError) -> T {
        guard let value else { throw .missingParameter(name) }
        return value
    }

    mutating func optionalInt(_ name: String) throws(AgentError) -> Int64? { try optional(name, "integer", \.int64Value) }
    mutating func int(_ name: String) throws(AgentError) -> Int64 { try required(name, optionalInt(name)) }
    mutating func optionalString(_ name: String) throws(AgentError) -> String? { try optional(name, "string", \.stringValue) }
    mutating func string(_ name: String) throws(AgentError) -> String { try required(name, optionalString(name)) }
    mutating func optionalBool(_ name: String) throws(AgentError) -> Bool? { try optional(name, "boolean", \.boolValue) }

    mutating func optionalStringArray(_ name: String) throws(AgentError) -> [String]? {
        guard let array = try optional(name, "array", \.arrayValue) else { return nil }
        var strings: [String] = []
        for element in array {
            guard let string = element.stringValue else { throw .invalidType(name, expected: "string") }
            strings.append(string)
        }
        return strings
    }

    mutating func stringArray(_ name: String) throws(AgentError) -> [String] { try required(name, optionalStringArray(name)) }

    /// An argument that is an enum, or (for alternates such as `GuestFileWhence`) an integer.
    mutating func optionalEnumOrInt(_ name: String, cases: [String]) throws(AgentError) -> EnumOrInt? {
        guard let value = value(name) else { return nil }
        if let int = value.int64Value { return .int(int) }
        guard let string = value.stringValue else { throw .invalidType(name, expected: "enum or integer") }
        guard cases.contains(string) else { throw .invalidValue(name, string) }
        return .name(string)
    }

    mutating func optionalRaw(_ name: String) -> JSONValue? { value(name) }

    /// Rejects members the command did not read, after all reads (qemu checks at struct end).
    func finish() throws(AgentError) {
        for key in object.keys where !visited.contains(key) { throw .unexpectedParameter(key) }
    }

    enum EnumOrInt: Equatable {
        case name(String)
        case int(Int64)
    }
}
