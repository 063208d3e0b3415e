import Foundation
import QGATestSupport
import Testing

@testable import QGAProtocol

/// Runs `body` against a freshly started real qemu-ga (state-changing commands blocked).
func withRealAgent<T>(
    options: AgentClientOptions = .init(),
    _ body: (AgentClient, RealAgent) async throws -> T
) async throws -> T {
    let agent = try await RealAgent.start()
    let client = AgentClient(address: .unix(path: agent.socketPath), options: options)
    return try await agent.use { agent in try await client.use { try await body($0, agent) } }
}

/// Host facts to compare the agent's answers with: the agent runs on this machine.
enum Host {
    static func cpuCount() throws -> Int {
        try String(contentsOfFile: "/proc/stat", encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("cpu") && !$0.hasPrefix("cpu ") }.count
    }

    static func diskNames() throws -> Set<String> {
        Set(
            try String(contentsOfFile: "/proc/diskstats", encoding: .utf8).split(separator: "\n")
                .compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).first.map(String.init) })
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func osReleaseID() -> String? {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("ID=") }
            .map { $0.dropFirst(3).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }
}

@Suite(.serialized, .enabled(if: RealAgent.isInstalled, "qemu-ga is not installed; scripts/install-test-deps installs it"))
struct RealAgentTests {
    @Test func everyEnabledReadOnlyCommandDecodesWithPlausibleValues() async throws {
        try await withRealAgent { (client, _) async throws in
            let info = try await client.info()
            #expect(!info.version.isEmpty)
            #expect(info.supports(.ping))
            #expect(!info.supports(.fstrim), "blocked with -b")
            var exercised: Set<String> = [AgentCommand.info.name, AgentCommand.syncDelimited.name]

            try await client.resync()
            #expect(try await client.call(.sync, SyncArguments(id: 424242)) == 424242)
            exercised.insert(AgentCommand.sync.name)

            try await client.call(.ping)
            exercised.insert(AgentCommand.ping.name)

            let nanoseconds = try await client.call(.getTime)
            let hostNanoseconds = Int64(Date().timeIntervalSince1970 * 1e9)
            #expect(abs(nanoseconds - hostNanoseconds) < 60 * 1_000_000_000, "guest clock is this host's clock")
            exercised.insert(AgentCommand.getTime.name)

            let filesystems = try await client.call(.getFSInfo)
            let root = try #require(filesystems.first { $0.mountpoint == "/" }, "fsinfo lists /")
            let used = try #require(root.usedBytes)
            let total = try #require(root.totalBytes)
            #expect(used <= total)
            #expect(total > 0)
            exercised.insert(AgentCommand.getFSInfo.name)

            let cpuStats = try await client.call(.getCPUStats)
            #expect(cpuStats.count == (try Host.cpuCount()), "one entry per CPU")
            for (index, entry) in cpuStats.enumerated() {
                let linux = try #require(entry.linux)
                #expect(linux.cpu == index)
                #expect((linux.idle ?? 0) + (linux.user ?? 0) + (linux.system ?? 0) > 0)
            }
            exercised.insert(AgentCommand.getCPUStats.name)

            let diskStats = try await client.call(.getDiskStats)
            let hostDisks = try Host.diskNames()
            #expect(!diskStats.isEmpty)
            for disk in diskStats {
                #expect(hostDisks.contains(disk.name), "\(disk.name) is in /proc/diskstats")
            }
            exercised.insert(AgentCommand.getDiskStats.name)

            let interfaces = try await client.call(.networkGetInterfaces)
            let loopback = try #require(interfaces.first { $0.name == "lo" })
            #expect(loopback.ipAddresses?.contains { $0.ipAddress == "127.0.0.1" && $0.ipAddressType == .ipv4 } == true)
            #expect(loopback.statistics?.rxBytes != nil)
            exercised.insert(AgentCommand.networkGetInterfaces.name)

            _ = try await client.call(.getUsers)
            exercised.insert(AgentCommand.getUsers.name)

            let os = try await client.call(.getOSInfo)
            #expect(os.id == Host.osReleaseID())
            #expect(os.kernelRelease?.isEmpty == false)
            exercised.insert(AgentCommand.getOSInfo.name)

            #expect(try await client.call(.getHostName).hostName == Host.hostName())
            exercised.insert(AgentCommand.getHostName.name)

            let zone = try await client.call(.getTimezone)
            #expect(abs(zone.offset) <= 14 * 3600)
            exercised.insert(AgentCommand.getTimezone.name)

            let vcpus = try await client.call(.getVCPUs)
            #expect(vcpus.count == (try Host.cpuCount()))
            #expect(Set(vcpus.map(\.logicalId)).count == vcpus.count)
            exercised.insert(AgentCommand.getVCPUs.name)

            #expect(try await client.fsfreezeStatus() == .thawed)
            exercised.insert(AgentCommand.fsfreezeStatus.name)

            if info.supports(.getDisks) {
                let disks = try await client.call(.getDisks)
                #expect(disks.allSatisfy { !$0.name.isEmpty })
                exercised.insert(AgentCommand.getDisks.name)
            }
            if info.supports(.getMemoryBlockInfo) {
                #expect(try await client.call(.getMemoryBlockInfo).size > 0)
                exercised.insert(AgentCommand.getMemoryBlockInfo.name)
            }
            if info.supports(.getMemoryBlocks) {
                let blocks = try await client.call(.getMemoryBlocks)
                #expect(!blocks.isEmpty)
                exercised.insert(AgentCommand.getMemoryBlocks.name)
            }
            if info.supports(.sshGetAuthorizedKeys) {
                let keysFile = "/root/.ssh/authorized_keys"
                do throws(AgentError) {
                    let keys = try await client.call(.sshGetAuthorizedKeys, SSHUserArguments(username: "root"))
                    #expect(FileManager.default.fileExists(atPath: keysFile))
                    #expect(keys.keys.allSatisfy { !$0.isEmpty })
                } catch {
                    #expect(error.kind == .agentError && !FileManager.default.fileExists(atPath: keysFile), "\(error)")
                }
                exercised.insert(AgentCommand.sshGetAuthorizedKeys.name)
            }
            if info.supports(.networkGetRoute) {
                #expect(!(try await client.call(.networkGetRoute)).isEmpty)
                exercised.insert(AgentCommand.networkGetRoute.name)
            }
            if info.supports(.getDevices) {
                _ = try await client.call(.getDevices)
                exercised.insert(AgentCommand.getDevices.name)
            }

            let enabledReadOnly = info.enabledCommands.intersection(AgentCommands.names(.readOnly))
            #expect(enabledReadOnly.subtracting(exercised).isEmpty, "not exercised: \(enabledReadOnly.subtracting(exercised))")
        }
    }

    /// The agent's own list agrees with the catalogue, and blocks exactly the catalogue's
    /// state-changing commands (a misspelt `-b` entry would leave one enabled).
    @Test func catalogueAgreesWithTheAgentsOwnList() async throws {
        try await withRealAgent { (client, _) async throws in
            let info = try await client.info()
            for listed in info.supportedCommands {
                guard let command = AgentCommands.named(listed.name), let answers = listed.successResponse else { continue }
                #expect(command.answersOnSuccess == answers, "\(listed.name)")
            }
            let disabled = Set(info.supportedCommands.filter { !$0.enabled }.map(\.name))
            #expect(disabled.isSuperset(of: AgentCommands.names(.stateChanging)))
            // guest-get-devices is Windows-only: a Linux agent lists it disabled.
            #expect(disabled.subtracting(AgentCommands.names(.stateChanging)).isSubset(of: ["guest-get-devices"]))
        }
    }

    @Test func commandTheAgentDoesNotKnowIsUnsupported() async throws {
        try await withRealAgent { (client, _) async throws in
            let info = try await client.info()
            try #require(!info.knows(.networkGetRoute), "this agent has guest-network-get-route")
            let error = await expectFailure(.unsupported) { try await client.call(.networkGetRoute) }
            #expect(error?.agentClass == "CommandNotFound")
            #expect(error?.command == AgentCommand.networkGetRoute.name)
            // The client stays usable after an agent error.
            try await client.call(.ping)
        }
    }

    @Test func blockedCommandIsDisabled() async throws {
        try await withRealAgent { (client, _) async throws in
            // guest-fstrim is blocked with -b: the agent refuses it without touching the host.
            await expectFailure(.disabled) { try await client.call(.fstrim, FstrimArguments()) }
        }
    }

    @Test func rawCallReturnsTheReturnMember() async throws {
        try await withRealAgent { (client, _) async throws in
            let os = try await client.executeRaw(AgentCommand.getOSInfo.name)
            #expect(os["id"]?.stringValue == Host.osReleaseID())
            let echoed = try await client.executeRaw(AgentCommand.sync.name, arguments: ["id": 9_007_199_254_740_993])
            #expect(echoed == .int(9_007_199_254_740_993), "no precision lost above 2^53")
            await expectFailure(.unsupported) { try await client.executeRaw("guest-get-load") }
        }
    }

    @Test func fileOpenWriteSeekReadCloseRoundTripsBytes() async throws {
        try await withRealAgent { (client, agent) async throws in
            let path = agent.directory + "/roundtrip.bin"
            let payload = Data((0...255).map(UInt8.init) + Array("qga\n".utf8))
            let handle = try await client.fileOpen(path: path, mode: "w+")
            let written = try await client.fileWrite(handle: handle, data: payload)
            #expect(written.count == payload.count)
            try await client.fileFlush(handle: handle)

            let end = try await client.call(.fileSeek, FileSeekArguments(handle: handle, offset: 0, whence: .value(2)))
            #expect(end.position == payload.count)
            let start = try await client.call(.fileSeek, FileSeekArguments(handle: handle, offset: 0, whence: .name(.set)))
            #expect(start.position == 0)

            let read = try await client.fileRead(handle: handle, count: 4096)
            #expect(read.count == payload.count)
            #expect(read.data == payload)
            #expect(read.eof)
            try await client.fileClose(handle: handle)

            #expect(FileManager.default.contents(atPath: path) == payload, "the bytes are really in the file")
            await expectFailure(.agentError) { try await client.fileRead(handle: handle) }
        }
    }

    @Test func execOfEchoReturnsItsOutput() async throws {
        try await withRealAgent { (client, _) async throws in
            let started = try await client.exec(path: "/bin/echo", arguments: ["hello", "agent"], captureOutput: .flag(true))
            #expect(started.pid > 0)
            var status = try await client.execStatus(pid: started.pid)
            for _ in 0..<200 where !status.exited {
                try await Task.sleep(for: .milliseconds(10))
                status = try await client.execStatus(pid: started.pid)
            }
            #expect(status.exited)
            #expect(status.exitCode == 0)
            #expect(status.output.map { String(decoding: $0, as: UTF8.self) } == "hello agent\n")
        }
    }

    @Test func concurrentCallersEachGetTheirOwnAnswer() async throws {
        try await withRealAgent { (client, _) async throws in
            let expectedHost = Host.hostName()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<24 {
                    group.addTask {
                        switch caller % 3 {
                        case 0:
                            let echoed = try await client.call(.sync, SyncArguments(id: Int64(caller)))
                            #expect(echoed == Int64(caller))
                        case 1:
                            let name = try await client.call(.getHostName)
                            #expect(name.hostName == expectedHost)
                        default:
                            let status = try await client.fsfreezeStatus()
                            #expect(status == .thawed)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func reportsTheAgentGoingAway() async throws {
        let agent = try await RealAgent.start()
        let client = AgentClient(address: .unix(path: agent.socketPath), options: .init(connectTimeout: .seconds(1)))
        try await client.call(.ping)
        #expect(!client.isConnected, "the call's session released the socket")
        await agent.stop()
        let first = await failureKind { try await client.call(.ping) }
        #expect([.disconnected, .socketNotFound, .connectionRefused].contains(first), "\(String(describing: first))")
        // Still gone: now a connect error that says so.
        let second = await failureKind { try await client.call(.ping) }
        #expect([.socketNotFound, .connectionRefused].contains(second), "\(String(describing: second))")
        await client.close()
    }
}
