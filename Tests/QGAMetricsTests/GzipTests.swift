import Testing
@testable import QGAMetrics

@Suite struct GzipTests {
    private func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let output = try ExternalTool.run("gzip", ["-d", "-c"], input: bytes)
        #expect(output.status == 0, "gzip -d: \(output.stderrText)")
        return Array(output.stdout)
    }

    @Test func zlibBodyDecompressesWithSystemGzip() throws {
        let identity = ExpositionEncoder.encode(MetricSet(RepresentativeFamilies.make()), format: .prometheusText)
        let compressed = try Gzip.compress(identity)
        #expect(compressed.starts(with: [0x1F, 0x8B]))
        #expect(compressed.count < identity.count)
        #expect(try gunzip(compressed) == identity)
    }

    @Test func emptyBodyCompresses() throws {
        #expect(try gunzip(try Gzip.compress([])) == [])
    }

    @Test(arguments: [0, 1, 65_535, 65_536, 200_000])
    func storedFallbackIsValidGzip(size: Int) throws {
        var generator = SplitMix64(seed: UInt64(size))
        let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(try gunzip(StoredGzip.wrap(bytes)) == bytes)
    }

    @Test func crc32KnownVector() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}

@Suite struct RenderedExpositionTests {
    @Test func identityBodiesAreTheEncoderOutput() {
        let set = MetricSet(GoldenFixtures.families)
        let rendered = RenderedExposition(set)
        #expect(text(rendered.body(format: .prometheusText, encoding: .identity)) == GoldenFixtures.prometheusText)
        #expect(text(rendered.body(format: .openMetrics, encoding: .identity)) == GoldenFixtures.openMetrics)
    }

    @Test func gzipBodiesDecompressToTheIdentityBodies() throws {
        let rendered = RenderedExposition(MetricSet(RepresentativeFamilies.make()))
        for format in ExpositionFormat.allCases {
            let gzip = rendered.body(format: format, encoding: .gzip)
            let output = try ExternalTool.run("gzip", ["-d", "-c"], input: gzip)
            #expect(output.status == 0)
            #expect(Array(output.stdout) == rendered.body(format: format, encoding: .identity))
        }
    }

    @Test func concurrentRequestsShareOneBodyPerVariant() async {
        let rendered = RenderedExposition(MetricSet(RepresentativeFamilies.make()))
        let bodies = await withTaskGroup(of: (Int, [UInt8]).self) { group in
            for request in 0..<64 {
                group.addTask {
                    let format: ExpositionFormat = request % 2 == 0 ? .prometheusText : .openMetrics
                    let encoding: ContentEncoding = request % 4 < 2 ? .identity : .gzip
                    return (request % 4, rendered.body(format: format, encoding: encoding))
                }
            }
            var collected: [Int: Set<[UInt8]>] = [:]
            for await (variant, body) in group { collected[variant, default: []].insert(body) }
            return collected
        }
        #expect(bodies.count == 4)
        #expect(bodies.values.allSatisfy { $0.count == 1 })
    }
}
