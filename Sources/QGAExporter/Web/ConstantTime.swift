/// Comparisons whose running time does not depend on where two secrets first differ.
enum ConstantTime {
    /// True when `given` equals `expected`. Every byte of `given` is looked at, whatever matches.
    static func equals(_ given: some Collection<UInt8>, _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        var index = 0
        for byte in given {
            let other = index < expected.count ? expected[index] : 0
            difference |= byte ^ other
            index += 1
        }
        return difference == 0
    }
}
