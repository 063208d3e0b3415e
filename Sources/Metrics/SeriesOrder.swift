/// Deterministic series order inside a family, and duplicate detection.
///
/// Series are compared by their label sets, not by the order the labels were given in, so two
/// samples with the same labels in a different order are the same series. For a stateset the
/// state label sorts last, which keeps the states of one series adjacent (OpenMetrics groups).
enum SeriesOrder {
    struct Result {
        var samples: [Sample]
        var duplicates: [Sample]
    }

    /// Sorts `samples` by label set and drops repeated series; the first one given wins.
    static func sortedUnique(_ samples: [Sample], stateLabel: String?) -> Result {
        guard samples.count > 1 else { return Result(samples: samples, duplicates: []) }
        var entries = samples.indices.map { Entry(key: canonicalKey(samples[$0].labels, stateLabel: stateLabel), index: $0) }

        var alreadyOrdered = true
        for index in 1..<entries.count where compare(entries[index - 1].key, entries[index].key) >= 0 {
            alreadyOrdered = false
            break
        }
        if alreadyOrdered { return Result(samples: samples, duplicates: []) }

        // The index breaks ties so the first given of equal series comes first, whatever sort does.
        entries.sort { left, right in
            let order = compare(left.key, right.key)
            return order != 0 ? order < 0 : left.index < right.index
        }
        var result = Result(samples: [], duplicates: [])
        result.samples.reserveCapacity(samples.count)
        var previous: Int?
        for position in entries.indices {
            let entry = entries[position]
            if let previous, compare(entries[previous].key, entry.key) == 0 {
                result.duplicates.append(samples[entry.index])
            } else {
                result.samples.append(samples[entry.index])
                previous = position
            }
        }
        return result
    }

    private struct Entry {
        var key: [Label]
        var index: Int
    }

    /// The labels sorted by name (state label last). Reuses the caller's array when it is
    /// already in that order, which is the common case and costs no allocation.
    static func canonicalKey(_ labels: [Label], stateLabel: String?) -> [Label] {
        if isCanonical(labels, stateLabel: stateLabel) { return labels }
        var key = labels.filter { $0.name != stateLabel }
        key.sort { $0.name < $1.name }
        if let stateLabel, let state = labels.first(where: { $0.name == stateLabel }) { key.append(state) }
        return key
    }

    private static func isCanonical(_ labels: [Label], stateLabel: String?) -> Bool {
        guard labels.count > 1 else { return true }
        let checked = stateLabel == nil ? labels.count : labels.count - 1
        if let stateLabel, labels[labels.count - 1].name != stateLabel { return false }
        var index = 1
        while index < checked {
            if !(labels[index - 1].name < labels[index].name) { return false }
            index += 1
        }
        return true
    }

    /// Three-way comparison of canonical keys. Label names are ASCII (checked by `MetricSet`),
    /// so Swift's ordering is byte order for them; values are compared by their UTF-8 bytes, as
    /// Prometheus does, so canonically equivalent but different spellings stay two series.
    static func compare(_ left: [Label], _ right: [Label]) -> Int {
        let shared = min(left.count, right.count)
        var index = 0
        while index < shared {
            if left[index].name != right[index].name { return left[index].name < right[index].name ? -1 : 1 }
            let order = ByteOrder.compare(left[index].value, right[index].value)
            if order != 0 { return order }
            index += 1
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }
}

/// Byte-wise comparison of UTF-8 text; Swift's `String` ordering uses Unicode canonical
/// equivalence, which would merge series that Prometheus keeps apart.
enum ByteOrder {
    static func compare(_ left: String, _ right: String) -> Int {
        let contiguous = left.utf8.withContiguousStorageIfAvailable { a in
            right.utf8.withContiguousStorageIfAvailable { b in compare(a, b) }
        }
        if let order = contiguous ?? nil { return order }
        if left.utf8.elementsEqual(right.utf8) { return 0 }
        return left.utf8.lexicographicallyPrecedes(right.utf8) ? -1 : 1
    }

    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let shared = min(a.count, b.count)
        var index = 0
        while index < shared {
            if a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
            index += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
