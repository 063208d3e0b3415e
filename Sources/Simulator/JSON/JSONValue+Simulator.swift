// The simulator's payloads are `JSONValue`s: whoever imports the simulator has the type.
@_exported import QGAJSON

extension JSONValue {
    /// Payloads count in `Int`.
    static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }
}
