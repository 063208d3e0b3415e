/// How one fuzz input is read: two bytes of settings, then the agent's output.
///
/// byte 0: the reply size cap; below 0x80 a tiny cap of 1...128 bytes so the limit is hit
///         often, otherwise the client's real default.
/// byte 1: how many bytes each read delivers (1...255); 0xFF delivers everything at once.
/// rest:   the bytes the agent wrote.
struct FrameInput {
    var maxReplyBytes: Int
    var readSize: Int
    var stream: [UInt8]

    static let defaultCap = 10 << 20

    init?(_ data: UnsafeBufferPointer<UInt8>) {
        guard data.count >= 2 else { return nil }
        maxReplyBytes = data[0] < 0x80 ? Int(data[0]) + 1 : Self.defaultCap
        stream = Array(data[2...])
        readSize = data[1] == 0xFF ? max(stream.count, 1) : Int(data[1]) + 1
    }
}
