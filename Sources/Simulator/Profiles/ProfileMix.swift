import Foundation

/// Which guests run which agent, parsed from the `--mix` syntax (the `--faults` one):
/// comma-separated entries, each either `PROFILE=PERCENT%` (that share of the fleet, chosen by
/// the seed) or `GUEST=PROFILE` with `GUEST` a name (`guest-0007`) or index (`7`). Guests no
/// entry claims run the default profile, linux-7.2.
///
///     linux-7.2=40%,linux-10=30%,windows-new=15%,windows-old=10%,linux-old=5%
///     guest-0001=windows-new,guest-0002=linux-old
public struct ProfileMix: Sendable, Equatable {
    public var shares: [AgentProfile: Double] = [:]
    public var explicit: [Int: AgentProfile] = [:]
}

extension ProfileMix {
    public init(parsing text: String) throws(ShareSpecError) {
        var explicit: [Int: AgentProfile] = [:]
        shares = try ShareSpecSyntax.parse(text, kind: "mix", nameKind: "an agent profile", shareExample: "30%") {
            index, value throws(ShareSpecError) in
            guard let profile = AgentProfile(rawValue: value) else {
                throw ShareSpecError(description: "unknown agent profile '\(value)' (known: \(ShareSpecSyntax.known(AgentProfile.self)))")
            }
            explicit[index] = profile
        }
        self.explicit = explicit
        let total = shares.values.reduce(0, +)
        guard total <= 1 + 1e-9 else {
            throw ShareSpecError(description: "mix shares add up to \(Self.percent(total)), more than 100%")
        }
    }

    private static func percent(_ share: Double) -> String { String(format: "%g%%", share * 100) }

    /// The profile of each guest 1...count. One seeded shuffle of the guests is cut into runs,
    /// one per profile in `AgentProfile.allCases` order, each ending at the rounded running total
    /// of the shares: "30% of 50" is 15 guests every time, and the runs never overlap.
    public func assignments(guestCount: Int, seed: UInt64) -> [Int: AgentProfile] {
        var result: [Int: AgentProfile] = [:]
        guard guestCount > 0 else { return result }
        var random = SeededRandom(seed: seed, SeededRandom.salt("mix"))
        var order = Array(1...guestCount)
        // Fisher-Yates with our own generator, so a seed picks the same guests everywhere.
        for position in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(position, Int(random.next() % UInt64(position + 1)))
        }
        var cumulative = 0.0
        var start = 0
        for profile in AgentProfile.allCases {
            guard let share = shares[profile], share > 0 else { continue }
            cumulative += share
            let end = min(guestCount, Int((cumulative * Double(guestCount)).rounded()))
            for index in order[start..<max(start, end)] { result[index] = profile }
            start = max(start, end)
        }
        for index in 1...guestCount where result[index] == nil { result[index] = .default }
        for (index, profile) in explicit where index <= guestCount { result[index] = profile }
        return result
    }
}
