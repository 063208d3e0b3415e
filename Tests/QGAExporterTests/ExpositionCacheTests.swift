import Foundation
import NIOCore
import QGAMetrics
import QGATestSupport
import Testing

@testable import QGAExporter

/// The cache in front of `/metrics`: each variant made once per render and shared, gzip bodies
/// that are the plain ones compressed, and a new render only once the last one is stale.
@Suite struct ExpositionCacheTests {
    static let variants = ExpositionFormat.allCases.flatMap { format in
        [ContentEncoding.identity, .gzip].map { ExpositionCache.Variant(format: format, encoding: $0) }
    }

    static func store(guests: Int, value: Double) -> SnapshotStore {
        let store = SnapshotStore()
        for index in 1...guests {
            var poll = SnapshotStoreTests.report("vm\(index)", up: true)
            poll.families.append(MetricFamily(name: "qga_marker", help: "Test marker.", type: .gauge,
                                              samples: [Sample(["guest": "vm\(index)"], value)]))
            store.update(poll)
        }
        return store
    }

    static func text(_ buffer: ByteBuffer) -> String { String(decoding: buffer.readableBytesView, as: UTF8.self) }

    @Test func concurrentRequestsShareOneBodyPerVariant() async throws {
        let cache = ExpositionCache(store: Self.store(guests: 20, value: 1), freshFor: .seconds(3600))
        let bodies = await withTaskGroup(of: (Int, [UInt8]).self) { group in
            for request in 0..<64 {
                group.addTask {
                    let variant = request % Self.variants.count
                    return (variant, Array(await cache.body(Self.variants[variant]).readableBytesView))
                }
            }
            var collected: [Int: Set<[UInt8]>] = [:]
            for await (variant, body) in group { collected[variant, default: []].insert(body) }
            return collected
        }
        #expect(bodies.count == Self.variants.count)
        #expect(bodies.values.allSatisfy { $0.count == 1 })
        // A variant is merged when first asked for, so only the process figures may differ.
        let withoutProcess = { (text: String) in text.split(separator: "\n").filter { !$0.contains("process_") } }
        for (index, variant) in Self.variants.enumerated() where variant.encoding == .gzip {
            let plain = try #require(Self.variants.firstIndex { $0 == .init(format: variant.format, encoding: .identity) })
            let output = try await Command.run("gzip", ["-d", "-c"], stdin: Data(try #require(bodies[index]?.first)))
            #expect(output.status == 0)
            #expect(withoutProcess(output.text) == withoutProcess(String(decoding: try #require(bodies[plain]?.first), as: UTF8.self)))
        }
        let openMetrics = Self.text(await cache.body(.init(format: .openMetrics, encoding: .identity)))
        #expect(openMetrics.hasSuffix("# EOF\n") && openMetrics.contains("qga_exporter_guests 20\n"))
        #expect(openMetrics.contains("# TYPE qga_marker gauge\nqga_marker{guest=\"vm1\"} 1\nqga_marker{guest=\"vm10\"} 1\n"))
    }

    @Test func aFreshBodyIsServedUntilItIsStale() async {
        let store = Self.store(guests: 2, value: 1)
        let variant = ExpositionCache.Variant(format: .prometheusText, encoding: .identity)
        let cached = ExpositionCache(store: store, freshFor: .seconds(3600))
        let uncached = ExpositionCache(store: store, freshFor: .zero)
        #expect(Self.text(await cached.body(variant)).contains(#"qga_marker{guest="vm1"} 1"#))
        #expect(Self.text(await uncached.body(variant)).contains(#"qga_marker{guest="vm1"} 1"#))

        var poll = SnapshotStoreTests.report("vm1", up: true)
        poll.families.append(MetricFamily(name: "qga_marker", help: "Test marker.", type: .gauge,
                                          samples: [Sample(["guest": "vm1"], 2)]))
        store.update(poll)
        #expect(Self.text(await cached.body(variant)).contains(#"qga_marker{guest="vm1"} 1"#))
        #expect(Self.text(await uncached.body(variant)).contains(#"qga_marker{guest="vm1"} 2"#))
    }
}
