import Foundation
import Testing

@testable import QGAProtocol

/// Issue 15: nothing QEMU's newest guest agent schema (qga/qapi-schema.json) calls optional may
/// be required by our types. Each reply below holds only the members that schema marks REQUIRED
/// (no leading `*`), and must decode through both decoding paths: the client's own tree decoder
/// (`WireJSON`, with the `TreeDecodable` fast paths) and Foundation's `JSONDecoder` (the types'
/// `init(from:)`).
///
/// Checked against qga/qapi-schema.json at qemu-ci commit 57a968dd1919 (QEMU 11.x development:
/// GuestNetworkRoute on Windows since 11.0, GuestLoadAverage since 10.0).
@Suite struct SchemaOptionalityTests {
    /// Decodes `json` both ways and checks the two agree.
    private func decodeBothWays<T: Decodable & Equatable>(
        _ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> T {
        let wire = try WireJSON.decode(T.self, from: Data(json.utf8))
        let foundation = try JSONDecoder().decode(T.self, from: Data(json.utf8))
        #expect(wire == foundation, "tree and Foundation decoding agree", sourceLocation: sourceLocation)
        return wire
    }

    // 'data': {'name': 'str', 'mountpoint': 'str', 'type': 'str', '*used-bytes': 'uint64',
    //          '*total-bytes': 'uint64', '*total-bytes-privileged': 'uint64',
    //          'disk': ['GuestDiskAddress']}
    @Test func filesystemInfo() throws {
        let info = try decodeBothWays(GuestFilesystemInfo.self, #"{"name": "vda1", "mountpoint": "/", "type": "ext4", "disk": []}"#)
        #expect(info.name == "vda1")
        #expect(info.mountpoint == "/")
        #expect(info.type == "ext4")
        #expect(info.disk.isEmpty)
        #expect(info.usedBytes == nil)
        #expect(info.totalBytes == nil)
        #expect(info.totalBytesPrivileged == nil)
    }

    // 'data': {'pci-controller': 'GuestPCIAddress', 'bus-type': 'GuestDiskBusType',
    //          'bus': 'int', 'target': 'int', 'unit': 'int',
    //          '*serial': 'str', '*dev': 'str', '*ccw-address': 'GuestCCWAddress'}
    @Test func diskAddress() throws {
        let address = try decodeBothWays(GuestDiskAddress.self, """
            {"pci-controller": {"domain": 0, "bus": 0, "slot": 4, "function": 0},
             "bus-type": "virtio", "bus": 0, "target": 0, "unit": 0}
            """)
        #expect(address.pciController == GuestPCIAddress(domain: 0, bus: 0, slot: 4, function: 0))
        #expect(address.busType == .virtio)
        #expect(address.bus == 0 && address.target == 0 && address.unit == 0)
        #expect(address.serial == nil)
        #expect(address.dev == nil)
        #expect(address.ccwAddress == nil)
    }

    // 'data': {'name': 'str', 'partition': 'bool', '*dependencies': ['str'],
    //          '*address': 'GuestDiskAddress', '*alias': 'str', '*smart': 'GuestDiskSmart'}
    @Test func diskInfo() throws {
        let disk = try decodeBothWays(GuestDiskInfo.self, #"{"name": "/dev/vda", "partition": false}"#)
        #expect(disk.name == "/dev/vda")
        #expect(disk.partition == false)
        #expect(disk.dependencies == nil)
        #expect(disk.address == nil)
        #expect(disk.alias == nil)
        #expect(disk.smart == nil)
    }

    // 'data': {'name': 'str', '*hardware-address': 'str', '*ip-addresses': ['GuestIpAddress'],
    //          '*statistics': 'GuestNetworkInterfaceStat'}
    @Test func networkInterface() throws {
        let interface = try decodeBothWays(GuestNetworkInterface.self, #"{"name": "lo"}"#)
        #expect(interface.name == "lo")
        #expect(interface.hardwareAddress == nil)
        #expect(interface.ipAddresses == nil)
        #expect(interface.statistics == nil)
    }

    // Every member optional: the minimal reply is the empty object.
    @Test func osInfo() throws {
        let os = try decodeBothWays(GuestOSInfo.self, "{}")
        #expect(os == GuestOSInfo())
        #expect(os.kernelRelease == nil && os.kernelVersion == nil && os.machine == nil)
        #expect(os.id == nil && os.name == nil && os.prettyName == nil)
        #expect(os.version == nil && os.versionId == nil && os.variant == nil && os.variantId == nil)
    }

    // 'data': { 'user': 'str', 'login-time': 'number', '*domain': 'str' }
    @Test func user() throws {
        let user = try decodeBothWays(GuestUser.self, #"{"user": "root", "login-time": 1700000000.25}"#)
        #expect(user.user == "root")
        #expect(user.loginTime == 1_700_000_000.25)
        #expect(user.domain == nil)
        // 'number' also comes as a JSON integer.
        #expect(try decodeBothWays(GuestUser.self, #"{"user": "root", "login-time": 1700000000}"#).loginTime == 1_700_000_000)
    }

    // 'data': {'name': 'str', 'major': 'uint64', 'minor': 'uint64', 'stats': 'GuestDiskStats'}
    // and every member of GuestDiskStats is optional.
    @Test func diskStatsInfo() throws {
        let info = try decodeBothWays(GuestDiskStatsInfo.self, #"{"name": "vda", "major": 252, "minor": 0, "stats": {}}"#)
        #expect(info.name == "vda")
        #expect(info.major == 252)
        #expect(info.minor == 0)
        #expect(info.stats == GuestDiskStats())
        // The list the command returns goes through the same fast path.
        let list = try decodeBothWays([GuestDiskStatsInfo].self, #"[{"name": "vda", "major": 252, "minor": 0, "stats": {}}]"#)
        #expect(list == [info])
    }

    // union on 'type'; GuestLinuxCpuStats: {'cpu': 'int', 'user': 'uint64', 'nice': 'uint64',
    // 'system': 'uint64', 'idle': 'uint64', '*iowait', '*irq', '*softirq', '*steal', '*guest',
    // '*guestnice'}
    @Test func cpuStats() throws {
        let stats = try decodeBothWays(GuestCpuStats.self, #"{"type": "linux", "cpu": 0, "user": 1, "nice": 2, "system": 3, "idle": 4}"#)
        let linux = try #require(stats.linux)
        #expect(linux == GuestLinuxCpuStats(cpu: 0, user: 1, nice: 2, system: 3, idle: 4))
        #expect(linux.iowait == nil && linux.irq == nil && linux.softirq == nil)
        #expect(linux.steal == nil && linux.guest == nil && linux.guestnice == nil)
        let list = try decodeBothWays([GuestCpuStats].self, #"[{"type": "linux", "cpu": 1, "user": 1, "nice": 2, "system": 3, "idle": 4}]"#)
        #expect(list.first?.linux?.cpu == 1)
    }

    // 'data': {'logical-id': 'int', 'online': 'bool', '*can-offline': 'bool'}
    @Test func logicalProcessor() throws {
        let cpu = try decodeBothWays(GuestLogicalProcessor.self, #"{"logical-id": 0, "online": true}"#)
        #expect(cpu.logicalId == 0)
        #expect(cpu.online)
        #expect(cpu.canOffline == nil)
    }

    // 'data': {'iface': 'str', 'destination': 'str', 'metric': 'int', 'version': 'int', and
    // optional gateway, mask, irtt, flags, refcnt, use, window, mtu, desprefixlen, source,
    // srcprefixlen, nexthop}
    @Test func networkRoute() throws {
        let route = try decodeBothWays(GuestNetworkRoute.self, #"{"iface": "eth0", "destination": "0.0.0.0", "metric": 100, "version": 4}"#)
        #expect(route == GuestNetworkRoute(iface: "eth0", destination: "0.0.0.0", metric: 100, version: 4))
        #expect(route.gateway == nil && route.mask == nil && route.irtt == nil && route.flags == nil)
        #expect(route.refcnt == nil && route.use == nil && route.window == nil && route.mtu == nil)
        #expect(route.desprefixlen == nil && route.source == nil && route.srcprefixlen == nil && route.nexthop == nil)
    }

    // Smaller replies of the same commands, for completeness: members the schema marks optional.
    @Test func otherRepliesWithOnlyRequiredMembers() throws {
        #expect(try decodeBothWays(GuestIpAddress.self, #"{"ip-address": "10.0.0.2", "ip-address-type": "ipv4", "prefix": 24}"#).prefix == 24)
        #expect(try decodeBothWays(GuestNetworkInterfaceStat.self, "{}") == GuestNetworkInterfaceStat())
        #expect(try decodeBothWays(GuestMemoryBlock.self, #"{"phys-index": 3, "online": true}"#).canOffline == nil)
        #expect(try decodeBothWays(GuestMemoryBlockResponse.self, #"{"phys-index": 3, "response": "success"}"#).errorCode == nil)
        #expect(try decodeBothWays(GuestExecStatus.self, #"{"exited": false}"#) == GuestExecStatus(exited: false))
        #expect(try decodeBothWays(GuestTimezone.self, #"{"offset": 0}"#).zone == nil)
        #expect(try decodeBothWays(GuestDeviceInfo.self, #"{"driver-name": "viostor"}"#) == GuestDeviceInfo(driverName: "viostor"))
        #expect(try decodeBothWays(GuestFilesystemTrimResult.self, #"{"path": "/"}"#) == GuestFilesystemTrimResult(path: "/"))
        // 'success-response' is required in the schema, but agents before 1.7 leave it out.
        #expect(try decodeBothWays(GuestAgentCommandInfo.self, #"{"name": "guest-ping", "enabled": true}"#).successResponse == nil)
    }
}
