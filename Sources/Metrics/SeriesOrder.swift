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
        let keys = samples.map { canonicalKey($0.labels, stateLabel: stateLabel) }

        var alreadyOrdered = true
        for index in 1..<keys.count where !isLess(keys[index - 1], keys[index]) {
            alreadyOrdered = false
            break
        }
        if alreadyOrdered { return Result(samples: samples, duplicates: []) }

        // The index breaks ties so the first given of equal series comes first, whatever sort does.
        let order = keys.indices.sorted { left, right in
            if isLess(keys[left], keys[right]) { return true }
            if isLess(keys[right], keys[left]) { return false }
            return left < right
        }
        var result = Result(samples: [], duplicates: [])
        result.samples.reserveCapacity(samples.count)
        var previous: Int?
        for index in order {
            if let previous, !isLess(keys[previous], keys[index]) {
                result.duplicates.append(samples[index])
            } else {
                result.samples.append(samples[index])
                previous = index
            }
        }
        return result
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

    /// Label names are ASCII (checked by `MetricSet`); values are compared by their UTF-8 bytes,
    /// as Prometheus does, so canonically equivalent but different spellings stay two series.
    static func isLess(_ left: [Label], _ right: [Label]) -> Bool {
        let shared = min(left.count, right.count)
        var index = 0
        while index < shared {
            let a = left[index], b = right[index]
            if a.name != b.name { return a.name < b.name }
            let order = ByteOrder.compare(a.value, b.value)
            if order != 0 { return order < 0 }
            index += 1
        }
        return left.count < right.count
    }
}

/// Byte-wise comparison of UTF-8 text; Swift's `String` ordering uses Unicode canonical
/// equivalence, which would merge series that Prometheus keeps apart.
enum ByteOrder {
    static func compare(_ left: String, _ right: String) -> Int {
        var left = left, right = right
        return left.withUTF8 { a in
            right.withUTF8 { b in
                let shared = min(a.count, b.count)
                var index = 0
                while index < shared {
                    if a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
                    index += 1
                }
                return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
            }
        }
    }
}
