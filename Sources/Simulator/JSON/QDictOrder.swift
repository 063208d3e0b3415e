/// The member order qemu-ga writes objects in. Its QDict is a 512-bucket hash table iterated
/// bucket by bucket, so the order on the wire is fixed by each key's hash, not by insertion
/// (`{"return": {}, "id": 1}` but `{"id": 1, "error": ...}`). Reproducing it makes the simulator's
/// replies byte-identical to the real agent's.
enum QDictOrder {
    static let bucketCount: UInt32 = 512

    /// qemu's `tdb_hash` reduced to a bucket index.
    static func bucket(of key: String) -> UInt32 {
        let bytes = key.utf8
        var value = UInt32(truncatingIfNeeded: bytes.count) &* 0x238F_13AF
        for (index, byte) in bytes.enumerated() {
            value = value &+ (UInt32(byte) << UInt32(index * 5 % 24))
        }
        return (1_103_515_243 &* value &+ 12345) % bucketCount
    }

    /// Indices of `keys` in wire order: by bucket, and within a bucket the most recently
    /// inserted first (QDict prepends to a bucket's chain).
    static func wireOrder(of keys: [String]) -> [Int] {
        let buckets = keys.map(bucket(of:))
        return keys.indices.sorted { lhs, rhs in
            buckets[lhs] != buckets[rhs] ? buckets[lhs] < buckets[rhs] : lhs > rhs
        }
    }
}
