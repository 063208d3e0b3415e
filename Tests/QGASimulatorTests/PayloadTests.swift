import Testing
@testable import QGASimulator

/// Payloads are realistic, evolve with the clock, and are reproducible from the seed.
struct PayloadTests {
    static let start = 1_750_000_000.0

    /// Every unsigned counter in a stats payload, keyed by a path like "vda/read-ios".
    private func counters(_ value: JSONValue, nameKey: String, statsKey: String?) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for entry in value.arrayValue ?? [] {
            guard let object = entry.objectValue else { continue }
            let name: String
            switch object[nameKey] {
            case .string(let text): name = text
            case .int(let number): name = String(number)
            default: continue
            }
            let stats = statsKey.flatMap { object[$0]?.objectValue } ?? object
            for member in stats.members {
                if case .uint(let number) = member.value { result["\(name)/\(member.key)"] = number }
            }
        }
        return result
    }

    /// A time an hour on from `start` at which guest `index` has not rebooted in between.
    private func laterTimeWithoutReboot(_ profile: GuestProfile) -> Double {
        var later = Self.start + 3600
        if profile.bootTime(at: later) != profile.bootTime(at: Self.start) { later = Self.start + 60 }
        return later
    }

    @Test(arguments: 1...20)
    func countersNeverRunBackwardsBetweenReboots(index: Int) throws {
        let profile = GuestProfile(index: index, seed: 7)
        let later = laterTimeWithoutReboot(profile)
        try #require(profile.bootTime(at: later) == profile.bootTime(at: Self.start))
        let before = PayloadBuilder(profile: profile, time: Self.start)
        let after = PayloadBuilder(profile: profile, time: later)
        let pairs: [([String: UInt64], [String: UInt64])] = [
            (counters(before.cpuStats(), nameKey: "cpu", statsKey: nil),
             counters(after.cpuStats(), nameKey: "cpu", statsKey: nil)),
            (counters(before.diskStats(), nameKey: "name", statsKey: "stats"),
             counters(after.diskStats(), nameKey: "name", statsKey: "stats")),
            (counters(before.interfaces(), nameKey: "name", statsKey: "statistics"),
             counters(after.interfaces(), nameKey: "name", statsKey: "statistics")),
        ]
        for (old, new) in pairs {
            #expect(!old.isEmpty && old.keys.sorted() == new.keys.sorted())
            for (key, value) in old { #expect(new[key]! >= value, "\(profile.name) \(key)") }
        }
        let oldCPU = counters(before.cpuStats(), nameKey: "cpu", statsKey: nil)
        let newCPU = counters(after.cpuStats(), nameKey: "cpu", statsKey: nil)
        #expect(newCPU["0/user"]! > oldCPU["0/user"]!)
        #expect(newCPU["0/idle"]! > oldCPU["0/idle"]!)
    }

    @Test func countersStartOverAtReboot() {
        let profile = GuestProfile(index: 3, seed: 7)
        let boot = profile.bootTime(at: Self.start)
        let nextBoot = boot + profile.uptimeCycle
        let beforeReboot = counters(PayloadBuilder(profile: profile, time: nextBoot - 1).diskStats(), nameKey: "name", statsKey: "stats")
        let afterReboot = counters(PayloadBuilder(profile: profile, time: nextBoot + 60).diskStats(), nameKey: "name", statsKey: "stats")
        #expect(afterReboot["vda/read-ios"]! < beforeReboot["vda/read-ios"]!)
    }

    @Test func sameSeedAndTimeGiveTheSameBytes() {
        let first = PayloadBuilder(profile: GuestProfile(index: 9, seed: 99), time: Self.start)
        let second = PayloadBuilder(profile: GuestProfile(index: 9, seed: 99), time: Self.start)
        let other = PayloadBuilder(profile: GuestProfile(index: 9, seed: 100), time: Self.start)
        for build in [PayloadBuilder.diskStats, PayloadBuilder.cpuStats, PayloadBuilder.interfaces, PayloadBuilder.filesystems] {
            #expect(AgentJSONEncoder.encode(build(first)()) == AgentJSONEncoder.encode(build(second)()))
        }
        #expect(AgentJSONEncoder.encode(first.diskStats()) != AgentJSONEncoder.encode(other.diskStats()))
    }

    @Test func fleetShapesStayWithinTheAdvertisedRanges() {
        var sawDataDisk = false
        var sawCDROM = false
        var sawSecondNIC = false
        var cpuCounts: Set<Int> = []
        for index in 1...200 {
            let profile = GuestProfile(index: index, seed: 5)
            cpuCounts.insert(profile.cpus.count)
            #expect((2...8).contains(profile.cpus.count))
            let disks = profile.disks.map(\.name)
            #expect((1...3).contains(disks.count) && disks.first == "vda")
            sawDataDisk = sawDataDisk || disks.contains("vdb")
            sawCDROM = sawCDROM || disks.contains("sr0")
            let nics = profile.interfaces.map(\.name)
            #expect(nics.prefix(2) == ["lo", "eth0"])
            sawSecondNIC = sawSecondNIC || nics.contains("eth1")
            let mounts = profile.filesystems.map(\.mountpoint)
            #expect(mounts.prefix(2) == ["/", "/boot"])
            #expect(mounts.contains("/data") == disks.contains("vdb"))
            #expect(profile.filesystems.contains { if case .filling = $0.usage { true } else { false } })
        }
        #expect(sawDataDisk && sawCDROM && sawSecondNIC)
        #expect(cpuCounts == Set(2...8))
    }

    @Test func oneFilesystemFillsUpAndTheCDROMIsFull() throws {
        let profile = try #require((1...50).lazy.map { GuestProfile(index: $0, seed: 11) }
            .first { $0.disks.contains { $0.name == "sr0" } })
        let filling = try #require(profile.filesystems.first { if case .filling = $0.usage { true } else { false } })
        guard case .filling(_, _, let period, let phase) = filling.usage else { return }
        // Pick two times inside one fill cycle, the second nearer its end.
        let cycleStart = Self.start - (Self.start + phase).truncatingRemainder(dividingBy: period)
        let early = PayloadBuilder(profile: profile, time: cycleStart + period * 0.1)
        let late = PayloadBuilder(profile: profile, time: cycleStart + period * 0.9)
        #expect(late.usedBytes(filling) > early.usedBytes(filling))
        #expect(Double(late.usedBytes(filling)) > 0.9 * Double(filling.totalBytes))
        let cdrom = try #require(profile.filesystems.first { $0.type == "iso9660" })
        #expect(early.usedBytes(cdrom) == cdrom.totalBytes)
    }

    @Test func usersLogInAndOutOverTime() {
        var counts: Set<Int> = []
        var loginTimes: [Double] = []
        for index in 1...10 {
            let profile = GuestProfile(index: index, seed: 3)
            for hour in 0..<48 {
                let users = PayloadBuilder(profile: profile, time: Self.start + Double(hour) * 3600).users()
                let entries = users.arrayValue ?? []
                counts.insert(entries.count)
                for entry in entries {
                    if case .double(let login) = entry.objectValue?["login-time"] {
                        loginTimes.append(login)
                        #expect(login <= Self.start + Double(hour) * 3600)
                    }
                    #expect(entry.objectValue?.keys.sorted() == ["login-time", "user"])
                }
            }
        }
        #expect(counts.contains(0) && counts.contains { $0 > 0 })
        #expect(loginTimes.contains { $0 != $0.rounded() }, "login times are fractional, as utmp gives them")
    }
}
