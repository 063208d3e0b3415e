import Testing
@testable import QGASimulator

/// The byte-level format, checked against lines captured from the real qemu-ga 7.2.
struct WireFormatTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: AgentJSONEncoder.encode(value), as: UTF8.self)
    }

    @Test func membersFollowQDictOrderNotInsertionOrder() {
        #expect(text(.object(["id": .int(5), "return": .object(JSONObject())])) == #"{"return": {}, "id": 5}"#)
        let error = JSONValue.object(["error": .object(["desc": .string("d"), "class": .string("c")]), "id": .int(1)])
        #expect(text(error) == #"{"id": 1, "error": {"class": "c", "desc": "d"}}"#)
    }

    @Test func diskStatsMembersComeInTheRealAgentsOrder() throws {
        // Key order of a diskstats entry as the real agent sent it on this host.
        let real = [
            "discard-sectors", "write-ios", "discard-ios", "discard-ticks", "weight-ticks", "read-ios", "flush-ios",
            "write-sectors", "write-merges", "write-ticks", "ios-pgr", "read-sectors", "read-merges", "total-ticks",
            "discard-merges", "flush-ticks", "read-ticks",
        ]
        let shuffled = real.sorted()
        let order = QDictOrder.wireOrder(of: shuffled).map { shuffled[$0] }
        #expect(order == real)
    }

    @Test func stringsEscapeLikeQemu() {
        // Captured: the desc of a failed guest-file-open of this path.
        #expect(text(.string("/nonexist/\"é/\t\u{01}😀x")) == #""/nonexist/\"\u00E9/\t\u0001\uD83D\uDE00x""#)
        #expect(text(.string("a\\b\u{7F}")) == #""a\\b\u007F""#)
    }

    @Test func numbersPrintAsQemuPrintsThem() {
        #expect(text(.double(0.1)) == "0.10000000000000001")
        #expect(text(.double(1500)) == "1500")
        #expect(text(.uint(UInt64.max)) == "18446744073709551615")
        #expect(text(.int(-5)) == "-5")
        #expect(text(.array([.bool(true), .null, .int(0)])) == "[true, null, 0]")
    }

    @Test func parserKeepsIntegerKindsAndRejectsBadInput() throws {
        #expect(try AgentJSONParser.parse(Array("18446744073709551615".utf8)) == .uint(.max))
        #expect(try AgentJSONParser.parse(Array("1.5e3".utf8)) == .double(1500))
        #expect(try AgentJSONParser.parse(Array(#"{"a": [1, 'x', "\u00e9"]}"#.utf8))
            == .object(["a": .array([.int(1), .string("x"), .string("é")])]))
        #expect(throws: JSONParseError(message: "expected separator in dict")) {
            try AgentJSONParser.parse(Array(#"{"execute":"guest-ping" x}"#.utf8))
        }
        #expect(throws: JSONParseError(message: "invalid keyword 'hello'")) {
            try AgentJSONParser.parse(Array("hello".utf8))
        }
    }

    @Test func framerSplitsPipelinedRequestsWithoutDelimiters() {
        var framer = RequestFramer()
        var outputs: [RequestFramer.Output] = []
        framer.feed(Array(#"{"execute":"a"}{"execute":"b","arguments":{"x":"}{"}}"#.utf8), into: &outputs)
        #expect(outputs == [
            .text(Array(#"{"execute":"a"}"#.utf8)), .text(Array(#"{"execute":"b","arguments":{"x":"}{"}}"#.utf8)),
        ])
    }

    @Test func framerKeepsAPartialRequestAcrossFeeds() {
        var framer = RequestFramer()
        var outputs: [RequestFramer.Output] = []
        framer.feed(Array(#"{"execute":"#.utf8), into: &outputs)
        #expect(outputs.isEmpty && framer.hasPartialText)
        framer.feed(Array(#""guest-ping"}"#.utf8), into: &outputs)
        #expect(outputs == [.text(Array(#"{"execute":"guest-ping"}"#.utf8))])
    }

    @Test func delimiterByteDiscardsAHalfReadRequest() {
        var framer = RequestFramer()
        var outputs: [RequestFramer.Output] = []
        framer.feed(Array(#"{"execute":"#.utf8) + [0xFF] + Array(#"{"execute":"guest-ping"}"#.utf8), into: &outputs)
        #expect(outputs == [.error("stray '\u{FFFD}'"), .text(Array(#"{"execute":"guest-ping"}"#.utf8))])
    }

    @Test func delimiterInsideAStringIsReportedWithTheString() {
        // Captured from qemu-ga: `{"execute":"guest-pi` 0xFF gives stray '"guest-pi\uFFFD'.
        var framer = RequestFramer()
        var outputs: [RequestFramer.Output] = []
        framer.feed(Array(#"{"execute":"guest-pi"#.utf8) + [0xFF], into: &outputs)
        #expect(outputs == [.error("stray '\"guest-pi\u{FFFD}'")])
    }

    @Test func bareWordsAtTopLevelEndAtTheNextDelimiter() {
        var framer = RequestFramer()
        var outputs: [RequestFramer.Output] = []
        framer.feed(Array("hello".utf8), into: &outputs)
        #expect(outputs.isEmpty)
        framer.feed(Array("\n{}".utf8), into: &outputs)
        #expect(outputs == [.text(Array("hello".utf8)), .text(Array("{}".utf8))])
    }

    @Test func base64RoundTrips() {
        for text in ["", "h", "hi", "hi!", "hello world\n"] {
            let encoded = Base64.encode(Array(text.utf8))
            #expect(Base64.decode(encoded) == Array(text.utf8))
        }
        #expect(Base64.encode(Array("hello world\n".utf8)) == "aGVsbG8gd29ybGQK")
        #expect(Base64.decode("!!") == nil)
    }
}
