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
    do {
        let result = try await body(client, agent)
        await client.close()
        await agent.stop()
        return result
    } catch {
        await client.close()
        await agent.stop()
        throw error
    }
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
            #expect(info.supports(QGACommand.ping))
            #expect(!info.supports(QGACommand.fstrim), "blocked with -b")
            var exercised: Set<String> = [QGACommand.info, QGACommand.syncDelimited]

            try await client.syncDelimited()
            #expect(try await client.sync(id: 424242) == 424242)
            exercised.insert(QGACommand.sync)

            try await client.ping()
            exercised.insert(QGACommand.ping)

            let nanoseconds = try await client.getTime()
            let hostNanoseconds = Int64(Date().timeIntervalSince1970 * 1e9)
            #expect(abs(nanoseconds - hostNanoseconds) < 60 * 1_000_000_000, "guest clock is this host's clock")
            exercised.insert(QGACommand.getTime)

            let filesystems = try await client.getFSInfo()
            let root = try #require(filesystems.first { $0.mountpoint == "/" }, "fsinfo lists /")
            let used = try #require(root.usedBytes)
            let total = try #require(root.totalBytes)
            #expect(used <= total)
            #expect(total > 0)
            exercised.insert(QGACommand.getFSInfo)

            let cpuStats = try await client.getCPUStats()
            #expect(cpuStats.count == (try Host.cpuCount()), "one entry per CPU")
            for (index, entry) in cpuStats.enumerated() {
                let linux = try #require(entry.linux)
                #expect(linux.cpu == index)
                #expect((linux.idle ?? 0) + (linux.user ?? 0) + (linux.system ?? 0) > 0)
            }
            exercised.insert(QGACommand.getCPUStats)

            let diskStats = try await client.getDiskStats()
            let hostDisks = try Host.diskNames()
            #expect(!diskStats.isEmpty)
            for disk in diskStats {
                #expect(hostDisks.contains(disk.name), "\(disk.name) is in /proc/diskstats")
            }
            exercised.insert(QGACommand.getDiskStats)

            let interfaces = try await client.networkGetInterfaces()
            let loopback = try #require(interfaces.first { $0.name == "lo" })
            #expect(loopback.ipAddresses?.contains { $0.ipAddress == "127.0.0.1" && $0.ipAddressType == .ipv4 } == true)
            #expect(loopback.statistics?.rxBytes != nil)
            exercised.insert(QGACommand.networkGetInterfaces)

            _ = try await client.getUsers()
            exercised.insert(QGACommand.getUsers)

            let os = try await client.getOSInfo()
            #expect(os.id == Host.osReleaseID())
            #expect(os.kernelRelease?.isEmpty == false)
            exercised.insert(QGACommand.getOSInfo)

            #expect(try await client.getHostName().hostName == Host.hostName())
            exercised.insert(QGACommand.getHostName)

            let zone = try await client.getTimezone()
            #expect(abs(zone.offset) <= 14 * 3600)
            exercised.insert(QGACommand.getTimezone)

            let vcpus = try await client.getVCPUs()
            #expect(vcpus.count == (try Host.cpuCount()))
            #expect(Set(vcpus.map(\.logicalId)).count == vcpus.count)
            exercised.insert(QGACommand.getVCPUs)

            #expect(try await client.fsfreezeStatus() == .thawed)
            exercised.insert(QGACommand.fsfreezeStatus)

            if info.supports(QGACommand.getDisks) {
                let disks = try await client.getDisks()
                #expect(disks.allSatisfy { !$0.name.isEmpty })
                exercised.insert(QGACommand.getDisks)
            }
            if info.supports(QGACommand.getMemoryBlockInfo) {
                #expect(try await client.getMemoryBlockInfo().size > 0)
                exercised.insert(QGACommand.getMemoryBlockInfo)
            }
            if info.supports(QGACommand.getMemoryBlocks) {
                let blocks = try await client.getMemoryBlocks()
                #expect(!blocks.isEmpty)
                exercised.insert(QGACommand.getMemoryBlocks)
            }
            if info.supports(QGACommand.sshGetAuthorizedKeys) {
                let keysFile = "/root/.ssh/authorized_keys"
                do throws(AgentError) {
                    let keys = try await client.sshGetAuthorizedKeys(username: "root")
                    #expect(FileManager.default.fileExists(atPath: keysFile))
                    #expect(keys.keys.allSatisfy { !$0.isEmpty })
                } catch {
                    #expect(error.kind == .agentError && !FileManager.default.fileExists(atPath: keysFile), "\(error)")
                }
                exercised.insert(QGACommand.sshGetAuthorizedKeys)
            }
            if info.supports(QGACommand.networkGetRoute) {
                #expect(!(try await client.networkGetRoute()).isEmpty)
                exercised.insert(QGACommand.networkGetRoute)
            }
            if info.supports(QGACommand.getDevices) {
                _ = try await client.getDevices()
                exercised.insert(QGACommand.getDevices)
            }

            let enabledReadOnly = info.enabledCommands.intersection(QGACommand.readOnly)
            #expect(enabledReadOnly.subtracting(exercised).isEmpty, "not exercised: \(enabledReadOnly.subtracting(exercised))")
        }
    }

    @Test func commandTheAgentDoesNotKnowIsUnsupported() async throws {
        try await withRealAgent { (client, _) async throws in
            let info = try await client.info()
            try #require(!info.knows(QGACommand.networkGetRoute), "this agent has guest-network-get-route")
            let error = await expectFailure(.unsupported) { try await client.networkGetRoute() }
            #expect(error?.agentClass == "CommandNotFound")
            #expect(error?.command == QGACommand.networkGetRoute)
            // The client stays usable after an agent error.
            try await client.ping()
        }
    }

    @Test func blockedCommandIsDisabled() async throws {
        try await withRealAgent { (client, _) async throws in
            // guest-fstrim is blocked with -b: the agent refuses it without touching the host.
            await expectFailure(.disabled) { try await client.fstrim() }
        }
    }

    @Test func rawCallReturnsTheReturnMember() async throws {
        try await withRealAgent { (client, _) async throws in
            let os = try await client.executeRaw(QGACommand.getOSInfo)
            #expect(os["id"]?.stringValue == Host.osReleaseID())
            let echoed = try await client.executeRaw(QGACommand.sync, arguments: ["id": 9_007_199_254_740_993])
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

            let end = try await client.fileSeek(handle: handle, offset: 0, whence: .value(2))
            #expect(end.position == payload.count)
            let start = try await client.fileSeek(handle: handle, offset: 0, whence: .name(.set))
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
                            let echoed = try await client.sync(id: Int64(caller))
                            #expect(echoed == Int64(caller))
                        case 1:
                            let name = try await client.getHostName()
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
        try await client.ping()
        #expect(!client.isConnected, "the call's session released the socket")
        await agent.stop()
        let first = await failureKind { try await client.ping() }
        #expect([.disconnected, .socketNotFound, .connectionRefused].contains(first), "\(String(describing: first))")
        // Still gone: now a connect error that says so.
        let second = await failureKind { try await client.ping() }
        #expect([.socketNotFound, .connectionRefused].contains(second), "\(String(describing: second))")
        await client.close()
    }
}
