import Foundation

/// A rate that swings around a base value, `base * (1 + amplitude * sin(omega * t + phase))`,
/// with amplitude <= 1 so it never goes negative. Counters are its integral, so they grow
/// monotonically, faster and slower over the day, and are a pure function of time.
struct Activity: Sendable {
    var base: Double
    var amplitude: Double
    var omega: Double
    var phase: Double

    static let idle = Activity(base: 0, amplitude: 0, omega: 1, phase: 0)

    /// A rate around `base` with a random swing and period (minutes to hours).
    static func random(base: Double, using random: inout SeededRandom) -> Activity {
        let period = 600 + random.unit() * 6 * 3600
        return Activity(
            base: base, amplitude: 0.3 + random.unit() * 0.6, omega: 2 * .pi / period,
            phase: random.unit() * 2 * .pi)
    }

    /// The integral of the rate from `start` to `end` (seconds since the epoch).
    func total(from start: Double, to end: Double) -> Double {
        guard end > start, base > 0 else { return 0 }
        let swing = amplitude / omega * (cos(omega * start + phase) - cos(omega * end + phase))
        return base * ((end - start) + swing)
    }

    /// The peak rate, for keeping sums of rates below a bound.
    var peak: Double { base * (1 + amplitude) }
}
