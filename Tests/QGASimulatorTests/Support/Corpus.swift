import Foundation
@testable import QGASimulator

/// The real replies in Tests/Corpus (see its SOURCES.md), parsed with the simulator's parser.
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    /// The `return` value stored in `folder/command.json`.
    static func reply(_ folder: String, _ command: String) throws -> JSONValue {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(folder)/\(command).json"))
        return try AgentJSONParser.parse(Array(data))
    }

    /// Every member name in `value` as a path (`[].disk[].pci-controller.bus`), whatever the
    /// values: two replies with the same paths have the same member names at every level.
    static func memberPaths(_ value: JSONValue, prefix: String = "") -> Set<String> {
        switch value {
        case .object(let object):
            var paths: Set<String> = []
            for member in object.members {
                let path = prefix.isEmpty ? member.key : prefix + "." + member.key
                paths.insert(path)
                paths.formUnion(memberPaths(member.value, prefix: path))
            }
            return paths
        case .array(let elements):
            return elements.reduce(into: []) { $0.formUnion(memberPaths($1, prefix: prefix + "[]")) }
        default:
            return []
        }
    }

    /// The member order of every object in `value`, by its set of members: the wire order the
    /// agent's hash table gives, which a capture keeps.
    static func memberOrders(_ value: JSONValue) -> [Set<String>: [String]] {
        switch value {
        case .object(let object):
            var orders = [Set(object.keys): object.keys]
            for member in object.members { orders.merge(memberOrders(member.value)) { first, _ in first } }
            return orders
        case .array(let elements):
            return elements.reduce(into: [:]) { $0.merge(memberOrders($1)) { first, _ in first } }
        default:
            return [:]
        }
    }
}
