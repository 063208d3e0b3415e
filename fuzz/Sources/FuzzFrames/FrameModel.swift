/// The frames a stream must produce, worked out the plain way: split at every `\n` and 0xFF.
/// The decoder is checked against this for every way of cutting the stream into reads.
struct FrameModel {
    enum Frame: Equatable {
        case delimiter
        case line([UInt8])
    }

    /// What a complete run must deliver (a trailing fragment without newline delivers nothing).
    private(set) var frames: [Frame] = []
    /// A line, or the trailing fragment, is longer than the cap: the decoder must throw.
    private(set) var mustFail = false
    /// Some run of bytes between separators is longer than the cap. A fragment cut short by a
    /// 0xFF may pass when it arrives in one read (it never had to be buffered), or throw when
    /// a read ends inside it.
    private(set) var mayFail = false

    init(stream: [UInt8], maxReplyBytes: Int) {
        var current: [UInt8] = []
        for byte in stream {
            switch byte {
            case 0xFF:
                mayFail = mayFail || current.count > maxReplyBytes
                frames.append(.delimiter)
                current = []
            case 0x0A:
                if current.count > maxReplyBytes { mustFail = true }
                if !current.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { frames.append(.line(current)) }
                current = []
            default:
                current.append(byte)
            }
        }
        if current.count > maxReplyBytes { mustFail = true }
        mayFail = mayFail || mustFail
    }
}
