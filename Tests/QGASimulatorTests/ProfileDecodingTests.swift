import Foundation
import QGAProtocol
import Testing

@testable import QGASimulator

/// Every agent profile's replies decode, over the socket and through `AgentClient`, into the
/// QGAProtocol types the exporter polls with (and the library's others), and whatever
/// `guest-info` does not list as enabled is refused in a way the client classifies.
@Suite(.serialized)
struct ProfileDecodingTests {
    static let calls: [(command: String, call: @Sendable (AgentClient) async throws -> Void)] = [
        (AgentCommand.getFSInfo.name, { _ = try await $0.call(.getFSInfo) }),
        (AgentCommand.getDiskStats.name, { _ = try await $0.call(.getDiskStats) }),
        (AgentCommand.getCPUStats.name, { _ = try await $0.call(.getCPUStats) }),
        (AgentCommand.networkGetInterfaces.name, { _ = try await $0.call(.networkGetInterfaces) }),
        (AgentCommand.getVCPUs.name, { _ = try await $0.call(.getVCPUs) }),
        (AgentCommand.getOSInfo.name, { _ = try await $0.call(.getOSInfo) }),
        (AgentCommand.getHostName.name, { _ = try await $0.call(.getHostName) }),
        (AgentCommand.getUsers.name, { _ = try await $0.call(.getUsers) }),
        (AgentCommand.getTimezone.name, { _ = try await $0.call(.getTimezone) }),
        (AgentCommand.getTime.name, { _ = try await $0.call(.getTime) }),
        (AgentCommand.fsfreezeStatus.name, { _ = try await $0.fsfreezeStatus() }),
        (AgentCommand.getDisks.name, { _ = try await $0.call(.getDisks) }),
        (AgentCommand.getDevices.name, { _ = try await $0.call(.getDevices) }),
        (AgentCommand.getMemoryBlocks.name, { _ = try await $0.call(.getMemoryBlocks) }),
        (AgentCommand.getMemoryBlockInfo.name, { _ = try await $0.call(.getMemoryBlockInfo) }),
    ]

    @Test(arguments: AgentProfile.allCases)
    func repliesDecodeIntoTheProtocolTypes(profile: AgentProfile) async throws {
        try await withFleet(guests: 6, configure: { $0.mix = ProfileMix(shares: [profile: 1]) }) { fleet in
            for index in 1...fleet.guestCount {
                #expect(fleet.profile(ofGuest: index) == profile)
                let client = AgentClient(address: .unix(path: fleet.socketPath(ofGuest: index)))
                let info = try await client.info()
                #expect(info.version == profile.version)
                for (command, call) in Self.calls {
                    do {
                        try await call(client)
                        #expect(info.supports(command), "\(profile.rawValue): \(command) answered, unlisted")
                    } catch let error as QGAProtocol.AgentError {
                        if info.supports(command) {
                            // Only the stubs the old Windows agent lists as enabled fail.
                            #expect(profile == .windowsOld && error.kind == .unsupported, "\(profile.rawValue): \(error)")
                        } else {
                            #expect(error.kind == (info.knows(command) ? .disabled : .unsupported), "\(error)")
                        }
                    }
                }
                try await checkLoad(client, info: info, profile: profile)
                try await checkRoutes(client, info: info)
                await client.close()
            }
        }
    }

    /// No type in QGAProtocol for `guest-get-load`: three numbers, raw.
    private func checkLoad(_ client: AgentClient, info: GuestAgentInfo, profile: AgentProfile) async throws {
        guard info.supports("guest-get-load") else {
            await #expect(throws: QGAProtocol.AgentError.self) { try await client.executeRaw("guest-get-load") }
            return
        }
        let load = try await client.executeRaw("guest-get-load")
        for window in ["load1m", "load5m", "load15m"] {
            switch load[window] {
            case .int, .double: break
            default: Issue.record("\(profile.rawValue): \(window) is \(String(describing: load[window]))")
            }
        }
    }

    private func checkRoutes(_ client: AgentClient, info: GuestAgentInfo) async throws {
        guard info.supports(AgentCommand.networkGetRoute.name) else { return }
        // Local IPv6 routes carry flags above Int64.max, as the real 10.0.2 agent sends them.
        _ = try await client.call(.networkGetRoute)
        guard case .array(let routes) = try await client.executeRaw(AgentCommand.networkGetRoute.name) else {
            Issue.record("routes are no list")
            return
        }
        #expect(routes.contains { $0["destination"] == .string("0.0.0.0") && $0["mask"] == .string("0.0.0.0") })
    }

    @Test func aMixedFleetShowsEveryAgent() async throws {
        let mix = try ProfileMix(parsing: "linux-7.2=40%,linux-10=30%,windows-new=15%,windows-old=10%,linux-old=5%")
        try await withFleet(guests: 20, configure: { $0.mix = mix }) { fleet in
            var versions: [AgentProfile: Set<String>] = [:]
            var osIDs: [AgentProfile: Set<String>] = [:]
            for index in 1...fleet.guestCount {
                let client = AgentClient(address: .unix(path: fleet.socketPath(ofGuest: index)))
                let profile = fleet.profile(ofGuest: index)
                versions[profile, default: []].insert(try await client.info().version)
                osIDs[profile, default: []].insert(try await client.call(.getOSInfo).id ?? "")
                await client.close()
            }
            #expect(Set(versions.keys) == Set(AgentProfile.allCases))
            for profile in AgentProfile.allCases { #expect(versions[profile] == [profile.version]) }
            #expect(osIDs[.windowsNew] == ["mswindows"] && osIDs[.windowsOld] == ["mswindows"])
            #expect(osIDs[.linuxOld] == ["centos"])
        }
    }
}
