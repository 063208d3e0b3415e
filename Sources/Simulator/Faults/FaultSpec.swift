import Foundation

/// Which guests get which faults, parsed from the `--faults` syntax: comma-separated entries,
/// each either `MODE=PERCENT%` (that share of the fleet, chosen by the seed) or
/// `GUEST=MODE[+MODE...]` with `GUEST` a name (`guest-0007`) or index (`7`).
///
///     silent=5%,slow=5%,garbage=5%,stale=5%,disconnect=5%,oversize=5%,frozen=5%
///     guest-0001=silent,guest-0002=slow+stale
public struct FaultSpec: Sendable, Equatable {
    public var shares: [FaultMode: Double] = [:]
    public var explicit: [Int: Set<FaultMode>] = [:]
}

extension FaultSpec {
    public init(parsing text: String) throws(ShareSpecError) {
        var explicit: [Int: Set<FaultMode>] = [:]
        shares = try ShareSpecSyntax.parse(text, kind: "fault", nameKind: "a fault mode", shareExample: "5%") {
            index, value throws(ShareSpecError) in
            for name in value.split(separator: "+") {
                guard let mode = FaultMode(rawValue: String(name)) else {
                    throw ShareSpecError(description: "unknown fault mode '\(name)' (known: \(ShareSpecSyntax.known(FaultMode.self)))")
                }
                explicit[index, default: []].insert(mode)
            }
        }
        self.explicit = explicit
    }

    /// The faults of each guest 1...count. A share picks exactly round(share * count) guests,
    /// drawn by the seed, so "5% of 1000" is 50 guests every time.
    public func assignments(guestCount: Int, seed: UInt64) -> [Int: Set<FaultMode>] {
        var result: [Int: Set<FaultMode>] = [:]
        for mode in FaultMode.allCases {
            guard let share = shares[mode], share > 0 else { continue }
            var random = SeededRandom(seed: seed, SeededRandom.salt("faults"), SeededRandom.salt(mode.rawValue))
            var order = Array(1...max(1, guestCount))
            // Fisher-Yates with our own generator, so a seed picks the same guests everywhere.
            for position in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(position, Int(random.next() % UInt64(position + 1)))
            }
            for index in order.prefix(Int((share * Double(guestCount)).rounded())) where index <= guestCount {
                result[index, default: []].insert(mode)
            }
        }
        for (index, modes) in explicit where index <= guestCount { result[index, default: []].formUnion(modes) }
        return result
    }
}
