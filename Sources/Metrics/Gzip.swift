import CompressNIO
import NIOCore

/// gzip through the system zlib (compress-nio).
public enum Gzip {
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let output = try input.compress(with: .gzip())
        return Array(output.readableBytesView)
    }
}
