import CompressNIO
import NIOCore

/// gzip through the system zlib (compress-nio).
public enum Gzip {
    /// A gzip body for `buffer`, without copying it into an array first. If zlib fails (it can
    /// only fail to allocate), the body is stored uncompressed inside a valid gzip stream, so a
    /// response labelled gzip is always gzip. zlib's fastest level: exposition text is so
    /// repetitive that level 1 already shrinks it about tenfold, at a fraction of the default
    /// level's CPU time on a large fleet's body.
    public static func body(of buffer: ByteBuffer) -> ByteBuffer {
        var input = buffer
        if let compressed = try? input.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression))) {
            return compressed
        }
        return ByteBuffer(bytes: StoredGzip.wrap(Array(buffer.readableBytesView)))
    }
}
