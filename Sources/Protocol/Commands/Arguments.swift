/// Builds an arguments object, leaving out members whose value is nil (the agent treats absent
/// and null differently for optional members: it rejects null).
func arguments(_ members: KeyValuePairs<String, JSONValue?>) -> JSONValue {
    var object: [String: JSONValue] = [:]
    for (key, value) in members {
        if let value { object[key] = value }
    }
    return .object(object)
}

extension JSONValue {
    init(_ value: Int) { self = .int(Int64(value)) }
    init(_ strings: [String]) { self = .array(strings.map(JSONValue.string)) }
}
