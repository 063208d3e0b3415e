import CompressNIO
import NIOCore

/// gzip of a body handed over in pieces as it is produced, so that a large body never exists
/// uncompressed: `/metrics` for a fleet is megabytes of text but a tenth of that gzipped.
/// Pieces are gathered into chunks before each call into zlib; the output grows as needed and
/// ends in a buffer of its exact size (the response cache keeps it).
struct GzipStream {
    private static let chunkSize = 64 * 1024

    private let compressor: any NIOCompressor
    private var input: ByteBuffer
    private var window: ByteBuffer
    private var output: ByteBuffer

    /// Runs `produce` with a stream to write into and returns the whole gzip body; throws only
    /// if zlib fails (it can only fail to allocate).
    static func compress(expectedSize: Int, _ produce: (inout GzipStream) throws -> Void) throws -> ByteBuffer {
        var stream = try GzipStream(expectedSize: expectedSize)
        defer { try? stream.compressor.finishStream() }
        try produce(&stream)
        return try stream.finish()
    }

    private init(expectedSize: Int) throws {
        compressor = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: .fastestCompression)).compressor
        try compressor.startStream()
        let allocator = ByteBufferAllocator()
        input = allocator.buffer(capacity: Self.chunkSize)
        window = allocator.buffer(capacity: Self.chunkSize)
        // Exposition text compresses about tenfold at level 1.
        output = allocator.buffer(capacity: max(Self.chunkSize, expectedSize / 8))
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        input.writeBytes(bytes)
        if input.readableBytes >= Self.chunkSize { try deflate(.no) }
    }

    private mutating func finish() throws -> ByteBuffer {
        try deflate(.finish)
        return output.capacity - output.readableBytes > output.readableBytes / 4
            ? ByteBuffer(bytes: output.readableBytesView) : output
    }

    /// Feeds the gathered input to zlib, moving its output along whenever the window fills.
    private mutating func deflate(_ flush: CompressNIOFlush) throws {
        while true {
            do {
                try compressor.streamDeflate(from: &input, to: &window, flush: flush)
                // No error: all input taken (.no), or the stream is complete (.finish).
                if flush == .finish || input.readableBytes == 0 { break }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // zlib needs more room; an empty window means it made no progress at all.
                guard window.readableBytes > 0 else { throw error }
            }
            output.writeBuffer(&window)
            window.clear()
        }
        output.writeBuffer(&window)
        window.clear()
        input.clear()
    }
}
