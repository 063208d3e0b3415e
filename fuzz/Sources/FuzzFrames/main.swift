// libFuzzer entry point: the agent's byte stream through the frame decoder, then every reply
// line through the reply header and the typed results. libFuzzer brings its own `main`.

import NIOCore
import QGAProtocol

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let input = FrameInput(UnsafeBufferPointer(start: start, count: count)) else { return -1 }
    for case AgentFrame.line(let line) in FrameCheck.run(input) {
        ReplyCheck.run(line: Array(line.readableBytesView))
    }
    return 0
}
