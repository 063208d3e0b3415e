import Foundation
import Testing
@testable import QGASimulator

/// Each agent profile answers as its real agent does: what `guest-info` lists and how the
/// rest is refused, Windows volumes and load, and the member names of the captured replies in
/// Tests/Corpus. Driven directly, without sockets.
struct AgentProfileTests {
    static let time = 1_750_000_000.0

    private func makeAgent(
        _ profile: AgentProfile, index: Int = 1, seed: UInt64 = 3, blocked: Set<String> = [], frozen: Bool = false,
        now: @escaping @Sendable () -> Double = { AgentProfileTests.time }
    ) -> GuestAgent {
        var configuration = GuestConfiguration()
        configuration.blockedCommands = blocked
        return GuestAgent(
            profile: GuestProfile(index: index, seed: seed, agent: profile), configuration: configuration,
            frozen: frozen, clockOffset: 0, now: now)
    }

    /// The parsed reply to `request`, or nil for commands that answer nothing.
    private func ask(_ agent: GuestAgent, _ request: String) throws -> JSONObject? {
        guard let line = agent.receive(Array(request.utf8)).first?.line else { return nil }
        let reply: JSONObject = try #require(try AgentJSONParser.parse(Array(line.drop { $0 == 0xFF }.dropLast())).objectValue)
        return reply
    }

    private func result(_ agent: GuestAgent, _ command: String) throws -> JSONValue {
        try #require(try ask(agent, #"{"execute":"\#(command)"}"#)?["return"], "\(command) answered an error")
    }

    private func error(_ agent: GuestAgent, _ command: String) throws -> (errorClass: String, desc: String)? {
        guard let error = try ask(agent, #"{"execute":"\#(command)"}"#)?["error"]?.objectValue else { return nil }
        return (error["class"]?.stringValue ?? "", error["desc"]?.stringValue ?? "")
    }

    /// Every command any profile knows, and one nobody does.
    static let everyCommand = Set(AgentProfile.allCases.flatMap { $0.commands.commands.map(\.name) } + ["guest-nope"])

    // MARK: guest-info

    @Test(arguments: AgentProfile.allCases)
    func guestInfoListsWhatTheAgentAnswers(profile: AgentProfile) throws {
        let info = try result(makeAgent(profile), "guest-info")
        let listed = try #require(info.objectValue?["supported_commands"]?.arrayValue).compactMap(\.objectValue)
        let enabled = Dictionary(uniqueKeysWithValues: listed.map { ($0["name"]?.stringValue ?? "", $0["enabled"]?.boolValue ?? false) })
        for command in Self.everyCommand.sorted() {
            // A fresh agent each, so a freeze or a suspend does not colour the next answer.
            let refusal = try error(makeAgent(profile), command)
            switch enabled[command] {
            case nil:
                #expect(refusal?.errorClass == "CommandNotFound" && refusal?.desc.hasSuffix("has not been found") == true,
                        "\(profile.rawValue): \(command) is not listed, so it is unknown")
            case false?:
                #expect(refusal?.desc.contains("has been disabled") == true, "\(profile.rawValue): \(command) is listed disabled")
            default:
                #expect(refusal?.errorClass != "CommandNotFound", "\(profile.rawValue): \(command) is listed enabled")
                // The one mismatch real agents have: stubs that are listed enabled and fail.
                let stub = refusal?.desc == "this feature or command is not currently supported"
                #expect(stub == profile.commands.unsupported.contains(command), "\(profile.rawValue): \(command)")
            }
        }
    }

    @Test(arguments: [
        (AgentProfile.linux72, "linux-debian12-qga-7.2.22"), (.linux10, "linux-debian12-qga-10.0.2"),
        (.windowsOld, "windows-qga-107.0.1-winapps"),
    ])
    func guestInfoIsTheCapturedOne(profile: AgentProfile, folder: String) throws {
        let captured = try Corpus.reply(folder, "guest-info")
        let simulated = try result(makeAgent(profile), "guest-info")
        #expect(simulated.objectValue?["version"] == captured.objectValue?["version"])
        #expect(Self.commandLines(simulated) == Self.commandLines(captured))
    }

    @Test func linuxOldListsThe28CommandsInTheSameOrderPlusThoseOf210() throws {
        let captured = Self.commandList(try Corpus.reply("linux-centos7-qga-2.8.0", "guest-info"))
        let simulated = Self.commandList(try result(makeAgent(.linuxOld), "guest-info"))
        // That agent was run with guest-file-* and guest-exec* blocked; ours has nothing blocked.
        let names = Set(captured.map(\.name))
        #expect(simulated.filter { names.contains($0.name) }.map { [$0.name, "\($0.success)"] }
            == captured.map { [$0.name, "\($0.success)"] })
        #expect(Set(simulated.map(\.name)).subtracting(names)
            == ["guest-get-host-name", "guest-get-users", "guest-get-timezone", "guest-get-osinfo"])
        #expect(try result(makeAgent(.linuxOld), "guest-info").objectValue?["version"] == .string("2.12.0"))
    }

    private static func commandList(_ info: JSONValue) -> [(name: String, enabled: Bool, success: Bool)] {
        (info.objectValue?["supported_commands"]?.arrayValue ?? []).compactMap(\.objectValue).map {
            ($0["name"]?.stringValue ?? "", $0["enabled"]?.boolValue ?? false, $0["success-response"]?.boolValue ?? false)
        }
    }

    private static func commandLines(_ info: JSONValue) -> [String] {
        commandList(info).map { "\($0.name) \($0.enabled) \($0.success)" }
    }

    @Test func refusalsUseTheWordingOfTheAgentsEra() throws {
        let blocked: Set<String> = ["guest-get-osinfo"]
        let cases: [(AgentProfile, String, String, String)] = [
            (.linuxOld, "GenericError", "The command guest-get-osinfo has been disabled for this instance",
             "The command guest-get-host-name has been disabled for this instance"),
            (.linux72, "CommandNotFound", "Command guest-get-osinfo has been disabled",
             "Command guest-get-host-name has been disabled: the agent is in frozen state"),
            (.windowsOld, "CommandNotFound", "Command guest-get-osinfo has been disabled",
             "Command guest-get-host-name has been disabled: the agent is in frozen state"),
            (.linux10, "CommandNotFound", "Command guest-get-osinfo has been disabled: the command is not allowed",
             "Command guest-get-host-name has been disabled: the command is not allowed"),
            (.windowsNew, "CommandNotFound", "Command guest-get-osinfo has been disabled: the command is not allowed",
             "Command guest-get-host-name has been disabled: the command is not allowed"),
        ]
        for (profile, errorClass, blockedDesc, frozenDesc) in cases {
            let refusal = try #require(try error(makeAgent(profile, blocked: blocked), "guest-get-osinfo"))
            #expect(refusal.errorClass == errorClass && refusal.desc == blockedDesc, "\(profile.rawValue)")
            let frozen = try #require(try error(makeAgent(profile, frozen: true), "guest-get-host-name"))
            #expect(frozen.errorClass == errorClass && frozen.desc == frozenDesc, "\(profile.rawValue)")
        }
        #expect(try error(makeAgent(.windowsOld), "guest-get-memory-blocks")?.desc
            == "Command guest-get-memory-blocks has been disabled")
    }

    // MARK: Windows

    @Test(arguments: [AgentProfile.windowsOld, .windowsNew])
    func windowsVolumesHaveDriveLettersAndNoDiskStats(profile: AgentProfile) throws {
        var sawData = false, sawOptical = false
        for index in 1...30 {
            let agent = makeAgent(profile, index: index)
            let volumes = try #require(try result(agent, "guest-get-fsinfo").arrayValue).compactMap(\.objectValue)
            let mountpoints = volumes.compactMap { $0["mountpoint"]?.stringValue }
            #expect(mountpoints.last == "C:\\" && volumes.last?["type"] == .string("NTFS"))
            for volume in volumes {
                let mountpoint = volume["mountpoint"]?.stringValue ?? ""
                let lettered = mountpoint.count == 3 && mountpoint.hasSuffix(":\\") && mountpoint.first!.isUppercase
                #expect(lettered || mountpoint == "System Reserved", "\(mountpoint)")
                #expect(volume["name"]?.stringValue?.hasPrefix("\\\\?\\Volume{") == true)
                // Before 10.2 the letterless volumes come without sizes.
                let sized = volume["total-bytes"] != nil && volume["used-bytes"] != nil
                #expect(sized == (lettered || profile == .windowsNew), "\(mountpoint)")
                #expect(volume["total-bytes-privileged"] == nil)
                let disk = try #require(volume["disk"]?.arrayValue?.first?.objectValue)
                if volume["type"] == .string("CDFS") {
                    sawOptical = true
                    #expect(disk["pci-controller"]?.objectValue?["slot"] == .int(-1) && disk["serial"] == nil)
                    #expect(volume["used-bytes"] == volume["total-bytes"])
                } else {
                    #expect(disk["dev"]?.stringValue?.hasPrefix("\\\\.\\PhysicalDrive") == true && disk["serial"] != nil)
                }
            }
            sawData = sawData || volumes.contains {
                $0["type"] == .string("NTFS") && $0["mountpoint"]?.stringValue?.hasSuffix(":\\") == true
                    && $0["mountpoint"] != .string("C:\\")
            }
            #expect(mountpoints.filter { $0 == "System Reserved" }.count == 2)

            let expected = profile == .windowsOld
                ? ("GenericError", "this feature or command is not currently supported") : ("CommandNotFound", "")
            for stats in ["guest-get-diskstats", "guest-get-cpustats"] {
                let refusal = try #require(try error(agent, stats))
                #expect(refusal.errorClass == expected.0)
                #expect(expected.1.isEmpty ? refusal.desc == "The command \(stats) has not been found" : refusal.desc == expected.1)
            }
            #expect(try error(agent, "guest-network-get-route")?.errorClass == "CommandNotFound")
            #expect(try error(agent, "guest-get-load")?.errorClass == (profile == .windowsOld ? "CommandNotFound" : nil))
        }
        #expect(sawData && sawOptical)
    }

    @Test func windowsGuestsLookLikeWindowsEverywhere() throws {
        let agent = makeAgent(.windowsNew, index: 4)
        let os = try #require(try result(agent, "guest-get-osinfo").objectValue)
        #expect(os["id"] == .string("mswindows") && os["kernel-version"] == .string("10.0"))
        #expect(["20348", "26100"].contains(os["kernel-release"]?.stringValue ?? ""))
        let interfaces = try #require(try result(agent, "guest-network-get-interfaces").arrayValue).compactMap(\.objectValue)
        #expect(interfaces.first?["name"] == .string("Ethernet"))
        #expect(interfaces.last?["name"] == .string("Loopback Pseudo-Interface 1") && interfaces.last?["hardware-address"] == nil)
        let linkLocal = interfaces.first?["ip-addresses"]?.arrayValue?.first?.objectValue?["ip-address"]?.stringValue
        #expect(linkLocal?.hasPrefix("fe80::") == true && linkLocal?.contains("%") == true)
        let disks = try #require(try result(agent, "guest-get-disks").arrayValue).compactMap(\.objectValue)
        #expect(disks.allSatisfy { $0["name"]?.stringValue?.hasPrefix("\\\\.\\PhysicalDrive") == true && $0["dependencies"] == nil })
        let vcpus = try #require(try result(agent, "guest-get-vcpus").arrayValue).compactMap(\.objectValue)
        #expect(vcpus.first?["logical-id"] == .int(0) && vcpus.allSatisfy { $0["can-offline"] == .bool(false) })
        let devices = try #require(try result(agent, "guest-get-devices").arrayValue)
        #expect(!devices.isEmpty)
        let zone = try result(agent, "guest-get-timezone").objectValue?["zone"]?.stringValue ?? ""
        #expect(zone.hasSuffix("Time"), "\(zone)")
    }

    // MARK: Load

    @Test func windowsLoadStartsAtZeroOnTheFirstCall() throws {
        let clock = TestClock(Self.time)
        let agent = makeAgent(.windowsNew, index: 2, now: { clock.now })
        let profile = GuestProfile(index: 2, seed: 3, agent: .windowsNew)
        try #require(profile.bootTime(at: Self.time) == profile.bootTime(at: Self.time + 600), "no reboot in between")
        func load() throws -> [String: Double] {
            let members = try #require(try result(agent, "guest-get-load").objectValue).members
            return Dictionary(uniqueKeysWithValues: members.map { ($0.key, Self.number($0.value) ?? .nan) })
        }
        let zeros = ["load1m": 0.0, "load5m": 0, "load15m": 0]
        #expect(try load() == zeros)
        clock.now += 4
        #expect(try load() == zeros, "sampled every 5 s")
        clock.now += 596
        let later = try load()
        #expect(later.keys.sorted() == zeros.keys.sorted() && later.values.allSatisfy { $0 > 0 }, "\(later)")
        // A rebooted guest runs a new agent, which starts over.
        clock.now = profile.bootTime(at: Self.time) + profile.uptimeCycle + 120
        #expect(try load() == zeros)
    }

    @Test func linuxLoadIsTheKernelsFixedPointFromTheStart() throws {
        for index in 1...10 {
            let load = try #require(try result(makeAgent(.linux10, index: index), "guest-get-load").objectValue)
            #expect(load.keys.sorted() == ["load15m", "load1m", "load5m"])
            for member in load.members {
                let value = try #require(Self.number(member.value))
                #expect(value > 0 && (value * 2048).rounded() == value * 2048, "\(member.key) = \(value)")
            }
        }
    }

    /// Any JSON number as a double (the parser keeps integers as integers).
    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .uint(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    // MARK: Other agents

    @Test func linux10HasRoutesAndNVMeSmartData() throws {
        var sawNVMe = false
        for index in 1...30 {
            let agent = makeAgent(.linux10, index: index)
            let routes = try #require(try result(agent, "guest-network-get-route").arrayValue).compactMap(\.objectValue)
            #expect(routes.contains { $0["destination"] == .string("0.0.0.0") && $0["mask"] == .string("0.0.0.0")
                && $0["iface"] == .string("eth0") && $0["version"] == .int(4) })
            #expect(routes.contains { $0["destination"] == .string("::") && $0["nexthop"] == .string("fd00::1") })
            let disks = try #require(try result(agent, "guest-get-disks").arrayValue).compactMap(\.objectValue)
            for disk in disks where disk["name"] == .string("/dev/nvme0n1") {
                sawNVMe = true
                let smart = try #require(disk["smart"]?.objectValue)
                #expect(smart["type"] == .string("nvme") && smart["temperature"] == .int(323))
            }
            #expect(disks.filter { $0["smart"] != nil }.allSatisfy { $0["name"] == .string("/dev/nvme0n1") })
            let volumes = try #require(try result(agent, "guest-get-fsinfo").arrayValue).compactMap(\.objectValue)
            for volume in volumes {
                let total = try #require(Self.number(volume["total-bytes"]))
                let privileged = try #require(Self.number(volume["total-bytes-privileged"]))
                #expect(privileged >= total)
            }
        }
        #expect(sawNVMe)
    }

    @Test func linuxOldReportsNoUsageAndShortDiskAddresses() throws {
        let agent = makeAgent(.linuxOld, index: 5)
        let volumes = try #require(try result(agent, "guest-get-fsinfo").arrayValue).compactMap(\.objectValue)
        #expect(!volumes.isEmpty)
        for volume in volumes {
            #expect(volume.keys.sorted() == ["disk", "mountpoint", "name", "type"])
            let disk = try #require(volume["disk"]?.arrayValue?.first?.objectValue)
            #expect(disk.keys.sorted() == ["bus", "bus-type", "pci-controller", "target", "unit"])
        }
        let vcpus = try #require(try result(agent, "guest-get-vcpus").arrayValue)
        #expect(vcpus.first?.objectValue?["logical-id"] == .int(0))
        for command in ["guest-get-diskstats", "guest-get-cpustats", "guest-get-disks", "guest-get-load", "guest-ssh-get-authorized-keys"] {
            #expect(try error(agent, command)?.errorClass == "CommandNotFound", "\(command)")
        }
    }

    // MARK: Member names against the corpus

    /// The member paths of `command` over 40 guests of `profile`, some without the optional
    /// members named in `ignoring`.
    private func simulatedPaths(_ profile: AgentProfile, _ command: String, ignoring: Set<String> = []) throws -> Set<String> {
        var paths: Set<String> = []
        for index in 1...40 { paths.formUnion(Corpus.memberPaths(try result(makeAgent(profile, index: index), command))) }
        return paths.filter { !ignoring.contains(String($0.split(separator: ".").last ?? "")) }
    }

    private func capturedPaths(_ folders: [String], _ command: String) throws -> Set<String> {
        try folders.reduce(into: []) { $0.formUnion(Corpus.memberPaths(try Corpus.reply($1, command))) }
    }

    static let linux72 = ["linux-debian12-qga-7.2.22"]
    static let linux10 = ["linux-debian12-qga-10.0.2", "linux-minimal-nvme-qga-10.0.2"]

    /// (profile, command, captures, schema-optional members the captured hardware lacked)
    static let comparisons: [(AgentProfile, String, [String], Set<String>)] = [
        (.linux72, "guest-get-fsinfo", linux72, ["serial"]), (.linux72, "guest-get-disks", linux72, ["serial"]),
        (.linux72, "guest-get-osinfo", linux72, []), (.linux72, "guest-get-cpustats", linux72, []),
        (.linux72, "guest-get-diskstats", linux72, []), (.linux72, "guest-network-get-interfaces", linux72, []),
        (.linux72, "guest-get-vcpus", linux72, []),
        (.linux10, "guest-get-fsinfo", linux10, ["serial"]), (.linux10, "guest-get-disks", linux10, ["serial"]),
        (.linux10, "guest-get-load", linux10, []), (.linux10, "guest-network-get-route", [linux10[0]], []),
        (.linux10, "guest-get-osinfo", linux10, []), (.linux10, "guest-get-cpustats", linux10, []),
        (.linux10, "guest-get-diskstats", linux10, []), (.linux10, "guest-network-get-interfaces", linux10, []),
        (.linux10, "guest-get-vcpus", linux10, []), (.linux10, "guest-get-host-name", [linux10[0]], []),
        (.linux10, "guest-get-timezone", [linux10[0]], []),
        (.windowsNew, "guest-get-fsinfo", ["windows-server-2022-qga-unknown-truenas"], []),
        (.windowsNew, "guest-get-osinfo", ["windows-server-2022-qga-unknown-truenas", "windows-11-qga-unknown-winapps"], []),
        (.windowsNew, "guest-network-get-interfaces", ["windows-server-2022-qga-unknown-truenas"], []),
        (.windowsOld, "guest-get-osinfo", ["windows-server-2022-qga-unknown-truenas", "windows-11-qga-unknown-winapps"], []),
        (.windowsOld, "guest-network-get-interfaces", ["windows-server-2022-qga-unknown-truenas"], []),
    ]

    @Test(arguments: comparisons)
    func repliesHaveTheMemberNamesOfTheCapturedOnes(
        profile: AgentProfile, command: String, folders: [String], optional: Set<String>
    ) throws {
        let simulated = try simulatedPaths(profile, command, ignoring: optional)
        let captured = try capturedPaths(folders, command)
        #expect(simulated.subtracting(captured).isEmpty, "\(profile.rawValue) \(command): not captured")
        #expect(captured.subtracting(simulated).isEmpty, "\(profile.rawValue) \(command): not simulated")
        // Where an object has the members of a captured one, they come in the captured order.
        var captures: [Set<String>: [String]] = [:]
        for folder in folders { captures.merge(Corpus.memberOrders(try Corpus.reply(folder, command))) { first, _ in first } }
        for index in 1...40 {
            for (members, order) in Corpus.memberOrders(try result(makeAgent(profile, index: index), command)) {
                guard let captured = captures[members] else { continue }
                #expect(order == captured, "\(profile.rawValue) \(command)")
            }
        }
    }

    /// The pre-10.2 capture came through an API that kept only `dev` and `serial` of each disk
    /// address, which no real agent can send (the schema requires the rest): its volumes are
    /// compared here, their disk addresses with the full capture.
    @Test func windowsOldVolumesHaveTheCapturedMemberNames() throws {
        let simulated = try simulatedPaths(.windowsOld, "guest-get-fsinfo")
        let pre102 = try capturedPaths(["windows-qga-unknown-pve-pulse1319"], "guest-get-fsinfo")
        let full = try capturedPaths(["windows-server-2022-qga-unknown-truenas"], "guest-get-fsinfo")
        let volume = { (paths: Set<String>) in paths.filter { !$0.hasPrefix("[].disk[].") } }
        let address = { (paths: Set<String>) in paths.filter { $0.hasPrefix("[].disk[].") } }
        #expect(volume(simulated) == volume(pre102))
        #expect(address(simulated) == address(full))
    }
}

/// A clock tests can move.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double

    init(_ start: Double) { value = start }

    var now: Double {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}
