import CompressNIO
import NIOCore

/// gzip through the system zlib (compress-nio).
public enum Gzip {
    /// zlib's fastest level: exposition text is so repetitive that level 1 already shrinks it
    /// about tenfold, at a fraction of the default level's CPU time on a large fleet's body.
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: bytes)
        let output = try input.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
        return Array(output.readableBytesView)
    }
}
