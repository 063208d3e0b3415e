import NIOCore
import Testing

@testable import QGAProtocol

/// Feeds chunks to the decoder the way ByteToMessageHandler does (append, then decode until
/// nil) and returns the frames as text; the sentinel shows as "<FF>".
private func decode(_ chunks: [[UInt8]], maxReplyBytes: Int = 1 << 20) throws -> [String] {
    var decoder = AgentFrameDecoder(maxReplyBytes: maxReplyBytes)
    var buffer = ByteBuffer()
    var frames: [String] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        while let frame = try decoder.decode(buffer: &buffer) {
            switch frame {
            case .delimiter: frames.append("<FF>")
            case .line(let line): frames.append(String(buffer: line))
            }
        }
    }
    return frames
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct FrameDecoderTests {
    @Test func wholeRepliesInOneRead() throws {
        let frames = try decode([bytes("{\"return\": {}, \"id\": 1}\n{\"return\": 5, \"id\": 2}\n")])
        #expect(frames == ["{\"return\": {}, \"id\": 1}", "{\"return\": 5, \"id\": 2}"])
    }

    @Test func replySplitAcrossReads() throws {
        let frames = try decode([bytes("{\"return\": "), bytes("{\"a\":"), bytes(" 1}}"), bytes("\n")])
        #expect(frames == ["{\"return\": {\"a\": 1}}"])
    }

    @Test func everySplitPointGivesTheSameFrames() throws {
        let stream = bytes("{\"error\": {\"class\": \"GenericError\"}}\n") + [0xFF] + bytes("{\"return\": 42}\n{\"return\": {}, \"id\": 7}\n")
        let whole = try decode([stream])
        #expect(whole == ["{\"error\": {\"class\": \"GenericError\"}}", "<FF>", "{\"return\": 42}", "{\"return\": {}, \"id\": 7}"])
        for cut in 1..<stream.count {
            #expect(try decode([Array(stream[..<cut]), Array(stream[cut...])]) == whole, "split at \(cut)")
        }
        #expect(try decode(stream.map { [$0] }) == whole, "byte by byte")
    }

    @Test func sentinelDiscardsStalePartialReply() throws {
        // A previous client's half reply, then the sentinel: the half must never surface.
        let frames = try decode([bytes("{\"return\": [1, 2"), [0xFF], bytes("{\"return\": 99}\n")])
        #expect(frames == ["<FF>", "{\"return\": 99}"])
    }

    @Test func strayFFBytesAreDelimitersNotData() throws {
        let frames = try decode([[0xFF, 0xFF], bytes("{\"return\": 1}\n"), [0xFF]])
        #expect(frames == ["<FF>", "<FF>", "{\"return\": 1}", "<FF>"])
    }

    @Test func blankLinesAreSkipped() throws {
        #expect(try decode([bytes("\n\r\n  \n{\"return\": 1}\n\n")]) == ["{\"return\": 1}"])
    }

    @Test func replyOverTheCapFailsBeforeItsNewline() throws {
        var decoder = AgentFrameDecoder(maxReplyBytes: 64)
        var buffer = ByteBuffer(bytes: Array(repeating: UInt8(ascii: "x"), count: 65))
        #expect(throws: ReplyTooLargeError.self) { try decoder.decode(buffer: &buffer) }
    }

    @Test func completeLineOverTheCapFails() throws {
        #expect(throws: ReplyTooLargeError.self) {
            try decode([bytes("{\"return\": \"" + String(repeating: "y", count: 100) + "\"}\n")], maxReplyBytes: 64)
        }
    }

    @Test func replyExactlyAtTheCapPasses() throws {
        let line = "{\"return\": \"" + String(repeating: "z", count: 50) + "\"}"
        #expect(try decode([bytes(line + "\n")], maxReplyBytes: line.utf8.count) == [line])
    }

    @Test func largeReplyInManySmallReadsIsDecodedOnce() throws {
        // 4 MiB in 4 KiB reads: the decoder remembers how far it scanned.
        let payload = String(repeating: "a", count: 4 << 20)
        let stream = bytes("{\"return\": \"\(payload)\"}\n")
        let chunks = stride(from: 0, to: stream.count, by: 4096).map { Array(stream[$0..<min($0 + 4096, stream.count)]) }
        let frames = try decode(chunks, maxReplyBytes: 8 << 20)
        #expect(frames.count == 1)
        #expect(frames.first?.utf8.count == stream.count - 1)
    }

    @Test func decodeLastDropsAnIncompleteTail() throws {
        var decoder = AgentFrameDecoder()
        var buffer = ByteBuffer(bytes: bytes("{\"return\": 1}\n{\"ret"))
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == .line(ByteBuffer(string: "{\"return\": 1}")))
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
        #expect(buffer.readableBytes == 0)
    }
}
