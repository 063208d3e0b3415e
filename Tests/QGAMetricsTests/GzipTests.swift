import Foundation
import NIOCore
import QGATestSupport
import Testing
@testable import QGAMetrics

@Suite struct GzipTests {
    private func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let output = try Command.runBlocking("gzip", ["-d", "-c"], stdin: Data(bytes))
        #expect(output.status == 0, "gzip -d: \(output.stderr)")
        return Array(output.stdout)
    }

    @Test func zlibBodyDecompressesWithSystemGzip() throws {
        let identity = ExpositionEncoder.encode(MetricSet(RepresentativeFamilies.make()), format: .prometheusText)
        let compressed = Array(Gzip.body(of: ByteBuffer(bytes: identity)).readableBytesView)
        #expect(compressed.starts(with: [0x1F, 0x8B]))
        #expect(compressed.count < identity.count)
        #expect(try gunzip(compressed) == identity)
    }

    @Test func emptyBodyCompresses() throws {
        #expect(try gunzip(Array(Gzip.body(of: ByteBuffer()).readableBytesView)) == [])
    }

    @Test(arguments: [0, 1, 65_535, 65_536, 200_000])
    func storedFallbackIsValidGzip(size: Int) throws {
        var generator = SeededGenerator(seed: UInt64(size))
        let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(try gunzip(StoredGzip.wrap(bytes)) == bytes)
    }

    @Test func crc32KnownVector() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
