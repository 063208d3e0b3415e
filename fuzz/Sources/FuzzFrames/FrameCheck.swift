import FuzzSupport
import NIOCore
import QGAProtocol

/// Runs the real decoder the way `ByteToMessageHandler` does (read by read, then EOF) and
/// traps on any difference from `FrameModel`.
enum FrameCheck {
    static func run(_ input: FrameInput) -> [AgentFrame] {
        let processor = NIOSingleStepByteToMessageProcessor(AgentFrameDecoder(maxReplyBytes: input.maxReplyBytes))
        var frames: [AgentFrame] = []
        var failure: ReplyTooLargeError?
        do {
            var offset = 0
            while offset < input.stream.count {
                let end = min(offset + input.readSize, input.stream.count)
                try processor.process(buffer: ByteBuffer(bytes: input.stream[offset..<end])) { frames.append($0) }
                offset = end
            }
            try processor.finishProcessing(seenEOF: true) { frames.append($0) }
        } catch let error as ReplyTooLargeError {
            failure = error
        } catch {
            fatalError("invariant broken: the decoder threw something other than ReplyTooLargeError: \(error)")
        }
        check(frames, failure, input)
        return frames
    }

    private static func check(_ frames: [AgentFrame], _ failure: ReplyTooLargeError?, _ input: FrameInput) {
        let cap = input.maxReplyBytes
        let model = FrameModel(stream: input.stream, maxReplyBytes: cap)
        let got = frames.map { frame -> FrameModel.Frame in
            switch frame {
            case .delimiter: return .delimiter
            case .line(let line): return .line(Array(line.readableBytesView))
            }
        }
        for case .line(let line) in got {
            require(line.count <= cap, "a line of \(line.count) bytes passed the cap of \(cap)")
            require(!line.contains(0x0A) && !line.contains(0xFF), "a line still holds a separator")
        }
        if let failure {
            require(model.mayFail, "ReplyTooLargeError although no fragment exceeds the cap: \(failure)")
            require(failure.limit == cap && failure.received > cap, "inconsistent error: \(failure)")
            require(got.count <= model.frames.count && Array(model.frames.prefix(got.count)) == got,
                         "frames before the error differ from the stream's")
        } else {
            require(!model.mustFail, "an over-long line was not refused (cap \(cap))")
            require(got == model.frames, "frames differ: got \(got.count), expected \(model.frames.count)")
        }
    }
}
