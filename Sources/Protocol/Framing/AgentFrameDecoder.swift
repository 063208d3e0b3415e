import NIOCore

/// One unit of the agent's output stream.
public enum AgentFrame: Sendable, Hashable {
    /// The 0xFF sentinel that precedes a `guest-sync-delimited` reply. Anything received before
    /// it that did not end in a newline was a stale partial reply and has been discarded.
    case delimiter
    /// One complete reply line, without its newline. Not validated as JSON here.
    case line(ByteBuffer)
}

/// A reply line grew beyond the configured maximum before its newline arrived.
public struct ReplyTooLargeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var limit: Int
    public var received: Int
    public var description: String {
        "agent reply exceeds the limit of \(limit) bytes (\(received) bytes without end of line)"
    }
}

/// Splits the agent's byte stream into reply lines and 0xFF sentinels.
///
/// The agent writes one compact JSON object per reply, terminated by `\n`. 0xFF never occurs
/// in UTF-8 text, so a 0xFF is always the sentinel and resets the line in progress. Lines
/// longer than `maxReplyBytes` raise `ReplyTooLargeError` as soon as the limit is passed, so a
/// runaway agent cannot grow our memory. Blank lines are skipped.
public struct AgentFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = AgentFrame

    public let maxReplyBytes: Int
    /// Bytes after the reader index already known to hold neither `\n` nor 0xFF, so a long
    /// reply arriving in many reads is scanned once, not once per read.
    private var scanned = 0

    public init(maxReplyBytes: Int = AgentClientOptions.defaultMaxReplyBytes) {
        precondition(maxReplyBytes > 0, "maxReplyBytes must be positive")
        self.maxReplyBytes = maxReplyBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> AgentFrame? {
        while true {
            let searchFrom = scanned
            let hit: (offset: Int, byte: UInt8)? = buffer.withUnsafeReadableBytes { bytes in
                guard searchFrom < bytes.count else { return nil }
                var index = searchFrom
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == 0x0A || byte == 0xFF { return (index, byte) }
                    index += 1
                }
                return nil
            }
            guard let hit else {
                scanned = buffer.readableBytes
                if buffer.readableBytes > maxReplyBytes {
                    throw ReplyTooLargeError(limit: maxReplyBytes, received: buffer.readableBytes)
                }
                return nil
            }
            scanned = 0
            if hit.byte == 0xFF {
                buffer.moveReaderIndex(forwardBy: hit.offset + 1)
                return .delimiter
            }
            if hit.offset > maxReplyBytes {
                throw ReplyTooLargeError(limit: maxReplyBytes, received: hit.offset)
            }
            let line = buffer.readSlice(length: hit.offset)!
            buffer.moveReaderIndex(forwardBy: 1)
            if !Self.isBlank(line) {
                return .line(line)
            }
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> AgentFrame? {
        // A trailing fragment without newline is an incomplete reply: nothing to deliver.
        if let frame = try decode(buffer: &buffer) { return frame }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        scanned = 0
        return nil
    }

    private static func isBlank(_ line: ByteBuffer) -> Bool {
        line.readableBytesView.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
