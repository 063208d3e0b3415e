import Foundation

/// Bodies produced once per snapshot and reused by every request (thread-safe, lazy per variant):
/// the exporter builds one per poll cycle, and each scrape only copies out bytes.
public final class RenderedExposition: Sendable {
    public let set: MetricSet
    private let slots: [VariantSlot]

    public init(_ set: MetricSet) {
        self.set = set
        slots = Variant.all.map { _ in VariantSlot() }
    }

    public func body(format: ExpositionFormat, encoding: ContentEncoding) -> [UInt8] {
        let variant = Variant(format: format, encoding: encoding)
        return slots[variant.index].value { render(variant) }
    }

    private func render(_ variant: Variant) -> [UInt8] {
        let identity = variant.encoding == .identity
            ? ExpositionEncoder.encode(set, format: variant.format)
            : body(format: variant.format, encoding: .identity)
        guard variant.encoding == .gzip else { return identity }
        return (try? Gzip.compress(identity)) ?? StoredGzip.wrap(identity)
    }
}

private struct Variant {
    static let all: [Variant] = [ExpositionFormat.prometheusText, .openMetrics].flatMap { format in
        [ContentEncoding.identity, .gzip].map { Variant(format: format, encoding: $0) }
    }

    var format: ExpositionFormat
    var encoding: ContentEncoding

    var index: Int { (format == .prometheusText ? 0 : 2) + (encoding == .identity ? 0 : 1) }
}

/// One lazily computed body. Each variant has its own lock, so a slow gzip of one format
/// never blocks a request for another; concurrent requests for the same variant wait and
/// share one computation.
private final class VariantSlot: @unchecked Sendable {
    // Safety: `body` is only read and written while `lock` is held.
    private let lock = NSLock()
    private var body: [UInt8]?

    func value(_ compute: () -> [UInt8]) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let body { return body }
        let computed = compute()
        body = computed
        return computed
    }
}
