import Foundation
import QGATestSupport
import Testing

@testable import QGAProtocol

@Suite struct JSONParserTests {
    @Test(arguments: [
        (#"{"a": [1, -2, 3.5, true, false, null, "x"]}"#,
         JSONValue.object(["a": .array([.int(1), .int(-2), .double(3.5), .bool(true), .bool(false), .null, .string("x")])])),
        (" \t\r\n[ ]\n", .array([])),
        ("{}", .object([:])),
        ("0", .int(0)),
        ("-0", .int(0)),
        ("1e3", .int(1000)),
        ("2674.0", .int(2674)),
        ("1.8e19", .uint(18_000_000_000_000_000_000)),
        ("-2.5E-1", .double(-0.25)),
        ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)),
        ("18446744073709551615", .uint(UInt64.max)),
        ("18446744073709551616", .double(18446744073709551616)),
        ("36893488147419103232", .double(36893488147419103232)),
        (#""tab\there \"q\" \\ \/ \b\f\n\r""#, .string("tab\there \"q\" \\ / \u{08}\u{0C}\n\r")),
        (#""\u00e9\u4e2d\ud83d\ude00""#, .string("é中😀")),
        (#""lone \ud83d half""#, .string("lone \u{FFFD} half")),
        (#""raw é UTF-8""#, .string("raw é UTF-8")),
        (#"{"k": 1, "k": 2}"#, .object(["k": .int(1)])),
    ] as [(String, JSONValue)])
    func parses(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("", "end of input"), ("01", "after the value"), ("1.", "after '.'"), (".5", "unexpected character"),
        ("+1", "unexpected character"), ("tru", "end of input"), ("nul!", "invalid literal"), (#""open"#, "unterminated"),
        ("[1,]", "unexpected character"), (#"{"a" 1}"#, "expected ':'"), (#"{"a": 1,}"#, "member name"),
        ("{1: 2}", "member name"), ("\"a\u{01}b\"", "control character"), ("{} x", "after the value"),
        (#""\x""#, "invalid escape"), (#""\u12G4""#, "\\u escape"), ("1e400", "out of range"), ("[1 2]", "',' or ']'"),
        ("1e", "exponent"), ("-", "expected a digit"),
    ])
    func rejectsWithAReason(text: String, reason: String) {
        #expect {
            try JSONParser.parse(Array(text.utf8))
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func nestingIsLimitedInsteadOfExhaustingTheStack() throws {
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(Array(allowed.utf8))
        let hostile = Array(String(repeating: "[", count: 1_000_000).utf8)
        #expect { try JSONParser.parse(hostile) } throws: { "\($0)".contains("nested deeper") }
    }

    /// Objects keep their members in the order read; equality ignores it. Past the size where
    /// names are indexed, a repeated name still keeps its first value and place.
    @Test func objectsKeepTheirOrderAndTheFirstOfARepeatedName() throws {
        let small = try #require(try JSONParser.parse(Array(#"{"b": 1, "a": 2, "b": 3}"#.utf8)).objectValue)
        #expect(small.keys == ["b", "a"] && small["b"] == .int(1))
        #expect(JSONValue.object(small) == ["a": 2, "b": 1])
        let names = (0..<100).map { "k\($0)" }
        let text = "{" + (names + ["k5", "k99"]).enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ", ") + "}"
        var large = try #require(try JSONParser.parse(Array(text.utf8)).objectValue)
        #expect(large.keys == names && large["k5"] == .int(5) && large["k99"] == .int(99))
        large["k0"] = nil
        #expect(large.count == 99 && large["k0"] == nil && large["k1"] == .int(1) && large["k98"] == .int(98))
    }

    /// Whatever Foundation's encoder writes, we read back as the same value: random trees of
    /// every kind, including escapes, non-ASCII text and 64-bit extremes.
    @Test func readsBackWhatFoundationWrites() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for _ in 0..<2_000 {
            let value = randomValue(depth: 0, using: &generator)
            let text = try JSONEncoder().encode(value)
            #expect(try JSONParser.parse(text) == value, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    /// And what Foundation parses, we parse to the same tree (Foundation's own JSONValue decode
    /// as the reference), on the replies the real agent and the fixtures produce.
    @Test func agreesWithFoundationOnAgentReplies() throws {
        let replies = [
            #"{"return": [{"name": "vda", "major": 253, "minor": 0, "stats": {"read-sectors": 18446744073709551615, "ios-pgr": 0}}], "id": 7}"#,
            #"{"return": {"host-name": "vm-01"}, "id": 8}"#,
            #"{"error": {"class": "CommandNotFound", "desc": "Command guest-fstrim has been disabled"}, "id": 9}"#,
            #"{"return": [{"user": "root", "login-time": 1700000000.123456}]}"#,
            #"{"return": -1}"#,
            // Found by fuzzing: a repeated member; both keep the first.
            #"{"error": {"class": "GenericError", "desc": "first", "desc": "second"}}"#,
        ]
        for reply in replies {
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(reply.utf8))
            #expect(try JSONParser.parse(Array(reply.utf8)) == foundation)
        }
    }

    private func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let kind = Int.random(in: depth > 3 ? 0..<6 : 0..<8, using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Bool.random(using: &generator) ? Int64.random(in: Int64.min...Int64.max, using: &generator) : Int64.random(in: -1000...1000, using: &generator))
        case 3: return .uint(UInt64.random(in: UInt64(Int64.max) + 1...UInt64.max, using: &generator))
        case 4: return .double(Double.random(in: -1e6...1e6, using: &generator).rounded(.towardZero) + 0.5)
        case 5: return .string(randomString(using: &generator))
        case 6: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    private func randomString(using generator: inout SeededGenerator) -> String {
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "中", "😀", "\u{7F}"]
        return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
