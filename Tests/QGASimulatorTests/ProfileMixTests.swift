import Testing
@testable import QGASimulator

/// The `--mix` syntax: shares and per-guest entries, reproducible from the seed.
struct ProfileMixTests {
    static let example = "linux-7.2=40%,linux-10=30%,windows-new=15%,windows-old=10%,linux-old=5%"

    @Test func sharesPickExactCountsDeterministically() throws {
        let mix = try ProfileMix(parsing: Self.example)
        #expect(mix.shares == [.linux72: 0.4, .linux10: 0.3, .windowsNew: 0.15, .windowsOld: 0.1, .linuxOld: 0.05])
        let first = mix.assignments(guestCount: 1000, seed: 4)
        #expect(first.count == 1000)
        let counts = Dictionary(grouping: first.values, by: { $0 }).mapValues(\.count)
        #expect(counts == [.linux72: 400, .linux10: 300, .windowsNew: 150, .windowsOld: 100, .linuxOld: 50])
        #expect(mix.assignments(guestCount: 1000, seed: 4) == first)
        #expect(mix.assignments(guestCount: 1000, seed: 5) != first)
    }

    @Test func roundingNeverLosesOrDoublesAGuest() throws {
        let mix = try ProfileMix(parsing: "linux-10=33%,windows-new=33%,linux-old=33%")
        for count in 1...40 {
            let assigned = mix.assignments(guestCount: count, seed: 9)
            #expect(assigned.keys.sorted() == Array(1...count))
            let counts = Dictionary(grouping: assigned.values, by: { $0 }).mapValues(\.count)
            #expect(abs((counts[.linux10] ?? 0) - count * 33 / 100) <= 1, "\(count)")
        }
    }

    @Test func unclaimedGuestsRunTheDefaultAndExplicitEntriesWin() throws {
        #expect(try ProfileMix(parsing: "").assignments(guestCount: 5, seed: 1).values.allSatisfy { $0 == .linux72 })
        let mix = try ProfileMix(parsing: "windows-new=50%,guest-0001=linux-old, 3=windows-old,guest-0009=linux-10")
        let assigned = mix.assignments(guestCount: 4, seed: 2)
        #expect(assigned[1] == .linuxOld && assigned[3] == .windowsOld)
        #expect(assigned.values.filter { $0 == .windowsNew }.count <= 2)
        #expect(Set(assigned.values).isSubset(of: [.linux72, .windowsNew, .linuxOld, .windowsOld]))
    }

    @Test func badSpecsAreRejectedWithAReason() {
        for bad in [
            "linux-10", "linux-10=5", "linux-9=5%", "guest-0001=windows", "windows-new=150%",
            "linux-10=60%,windows-new=50%", "guest-0000=linux-10",
        ] {
            #expect(throws: ShareSpecError.self, "\(bad)") { try ProfileMix(parsing: bad) }
        }
    }
}
