import Foundation
import NIOCore
import Testing

@testable import QGAProtocol

/// Decodes `json` as `T`, re-encodes it, and checks nothing was lost: the re-encoded JSON is
/// the same JSON value as the input, and decodes to an equal value.
@discardableResult
func roundTrip<T: Codable & Equatable>(
    _ type: T.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> T {
    let decoded = try WireJSON.decode(T.self, from: Data(json.utf8))
    let encoded = try WireJSON.encode(decoded)
    #expect(try WireJSON.decode(T.self, from: encoded) == decoded, sourceLocation: sourceLocation)
    let original = try WireJSON.decode(JSONValue.self, from: Data(json.utf8))
    let reencoded = try WireJSON.decode(JSONValue.self, from: encoded)
    #expect(reencoded == original, "lossless re-encoding", sourceLocation: sourceLocation)
    return decoded
}

@Suite struct TypeDecodingTests {
    @Test func agentInfo() throws {
        let info = try roundTrip(GuestAgentInfo.self, """
            {"version": "7.2.22", "supported_commands": [
              {"enabled": true, "name": "guest-ping", "success-response": true},
              {"enabled": false, "name": "guest-shutdown", "success-response": false},
              {"enabled": true, "name": "guest-sync"}]}
            """)
        #expect(info.enabledCommands == ["guest-ping", "guest-sync"])
        #expect(info.supports("guest-ping"))
        #expect(!info.supports("guest-shutdown"))
        #expect(info.knows("guest-shutdown"))
        #expect(!info.knows("guest-get-load"))
        #expect(info.supportedCommands[2].successResponse == nil, "absent before 1.7")
    }

    @Test func fileResults() throws {
        let read = try roundTrip(GuestFileRead.self, #"{"count": 3, "buf-b64": "cWdh", "eof": true}"#)
        #expect(read.data == Data("qga".utf8))
        #expect(try roundTrip(GuestFileWrite.self, #"{"count": 3, "eof": false}"#) == GuestFileWrite(count: 3, eof: false))
        #expect(try roundTrip(GuestFileSeek.self, #"{"position": 4096, "eof": false}"#).position == 4096)
        #expect(try roundTrip(Int.self, "1000") == 1000)
    }

    @Test func fileWhenceAlternate() throws {
        #expect(try roundTrip(GuestFileWhence.self, "1") == .value(1))
        #expect(try roundTrip(GuestFileWhence.self, #""cur""#) == .name(.cur))
        #expect(try roundTrip(GuestFileWhence.self, #""sideways""#) == .name(.unknown("sideways")))
        #expect(String(decoding: try WireJSON.encode(GuestFileWhence.name(.end)), as: UTF8.self) == #""end""#)
    }

    @Test func freezeAndTrim() throws {
        #expect(try roundTrip(GuestFsfreezeStatus.self, #""thawed""#) == .thawed)
        #expect(try roundTrip(GuestFsfreezeStatus.self, #""frozen""#) == .frozen)
        #expect(try roundTrip(GuestFsfreezeStatus.self, #""thawing""#) == .unknown("thawing"))
        let trim = try roundTrip(GuestFilesystemTrimResponse.self, """
            {"paths": [{"path": "/", "trimmed": 1048576, "minimum": 0}, {"path": "/boot", "error": "Operation not supported"}]}
            """)
        #expect(trim.paths[1].error == "Operation not supported")
        #expect(trim.paths[1].trimmed == nil)
    }

    @Test func networkInterfaces() throws {
        let interfaces = try roundTrip([GuestNetworkInterface].self, """
            [{"name": "lo", "ip-addresses": [{"ip-address-type": "ipv4", "ip-address": "127.0.0.1", "prefix": 8},
               {"ip-address-type": "ipv6", "ip-address": "::1", "prefix": 128}],
              "statistics": {"tx-packets": 29, "tx-errs": 0, "rx-bytes": 18446744073709551615, "rx-dropped": 0,
               "rx-packets": 29, "rx-errs": 0, "tx-bytes": 3193, "tx-dropped": 0},
              "hardware-address": "00:00:00:00:00:00"},
             {"name": "eth0"},
             {"name": "ib0", "ip-addresses": [{"ip-address-type": "infiniband", "ip-address": "x", "prefix": 0}]}]
            """)
        #expect(interfaces[0].statistics?.rxBytes == UInt64.max, "unsigned 64-bit above Int64.max")
        #expect(interfaces[0].ipAddresses?[1].ipAddressType == .ipv6)
        #expect(interfaces[1].statistics == nil && interfaces[1].ipAddresses == nil, "fields older agents omit")
        #expect(interfaces[2].ipAddresses?[0].ipAddressType == .unknown("infiniband"))
    }

    @Test func routes() throws {
        let routes = try roundTrip([GuestNetworkRoute].self, """
            [{"iface": "eth0", "destination": "0.0.0.0", "metric": 100, "gateway": "10.0.2.2", "mask": "0.0.0.0",
              "irtt": 0, "flags": 3, "refcnt": 0, "use": 0, "window": 0, "mtu": 0, "version": 4},
             {"iface": "eth0", "destination": "fe80::", "metric": 256, "desprefixlen": "64", "source": "::",
              "srcprefixlen": "0", "nexthop": "::", "flags": 1, "refcnt": 1, "use": 0, "mtu": 0, "version": 6}]
            """)
        #expect(routes[0].gateway == "10.0.2.2")
        #expect(routes[1].desprefixlen == "64" && routes[1].mask == nil)
    }

    @Test func vcpusAndMemoryBlocks() throws {
        let vcpus = try roundTrip([GuestLogicalProcessor].self, """
            [{"online": true, "can-offline": true, "logical-id": 1}, {"online": true, "logical-id": 0}]
            """)
        #expect(vcpus[1].canOffline == nil)
        let blocks = try roundTrip([GuestMemoryBlock].self, #"[{"online": true, "can-offline": false, "phys-index": 188}]"#)
        #expect(blocks[0].physIndex == 188)
        let responses = try roundTrip([GuestMemoryBlockResponse].self, """
            [{"phys-index": 1, "response": "success"}, {"phys-index": 2, "response": "not-found", "error-code": 2},
             {"phys-index": 3, "response": "operation-not-supported"}, {"phys-index": 4, "response": "operation-failed", "error-code": 16},
             {"phys-index": 5, "response": "postponed"}]
            """)
        #expect(responses.map(\.response) == [.success, .notFound, .operationNotSupported, .operationFailed, .unknown("postponed")])
        #expect(try roundTrip(GuestMemoryBlockInfo.self, #"{"size": 134217728}"#).size == 134_217_728)
    }

    @Test func disksWithAddressesAndSmart() throws {
        let disks = try roundTrip([GuestDiskInfo].self, """
            [{"name": "/dev/nvme0n1", "partition": false, "dependencies": [], "smart": {"type": "nvme",
               "critical-warning": 0, "temperature": 310, "available-spare": 100, "available-spare-threshold": 10,
               "percentage-used": 1, "data-units-read-lo": 18446744073709551615, "data-units-read-hi": 0,
               "data-units-written-lo": 2, "data-units-written-hi": 0, "host-read-commands-lo": 3,
               "host-read-commands-hi": 0, "host-write-commands-lo": 4, "host-write-commands-hi": 0,
               "controller-busy-time-lo": 5, "controller-busy-time-hi": 0, "power-cycles-lo": 6,
               "power-cycles-hi": 0, "power-on-hours-lo": 7, "power-on-hours-hi": 0, "unsafe-shutdowns-lo": 8,
               "unsafe-shutdowns-hi": 0, "media-errors-lo": 0, "media-errors-hi": 0,
               "number-of-error-log-entries-lo": 0, "number-of-error-log-entries-hi": 0},
              "address": {"bus-type": "nvme", "bus": 0, "unit": 0, "target": 0,
               "pci-controller": {"domain": -1, "bus": -1, "slot": -1, "function": -1}}},
             {"name": "/dev/vda", "partition": false, "smart": {"type": "virtio"},
              "address": {"bus-type": "virtio", "bus": 0, "unit": 0, "target": 0, "serial": "abc", "dev": "/dev/vda",
               "pci-controller": {"bus": 0, "slot": 2, "domain": 0, "function": 0}}},
             {"name": "/dev/dasda", "partition": false, "alias": "root",
              "address": {"bus-type": "unknown", "bus": 0, "unit": 0, "target": 0,
               "pci-controller": {"domain": 0, "bus": 0, "slot": 0, "function": 0},
               "ccw-address": {"cssid": 254, "ssid": 0, "subchno": 1, "devno": 4660}}},
             {"name": "/dev/cxl0", "partition": true, "address": {"bus-type": "cxl", "bus": 0, "unit": 0,
               "target": 0, "pci-controller": {"domain": 0, "bus": 0, "slot": 0, "function": 0}}}]
            """)
        guard case .nvme(let smart) = disks[0].smart else {
            Issue.record("nvme smart expected")
            return
        }
        #expect(smart.temperature == 310)
        #expect(smart.dataUnitsReadLo == UInt64.max)
        #expect(disks[0].address?.pciController.isValid == false, "-1 PCI fields")
        #expect(disks[1].address?.pciController.isValid == true)
        #expect(disks[1].smart?.type == .virtio)
        #expect(disks[2].address?.busType == .unknownBus, "the agent's own 'unknown' bus")
        #expect(disks[2].address?.ccwAddress?.devno == 4660)
        #expect(disks[3].address?.busType == .unknown("cxl"), "a bus type newer than this library")
    }

    @Test func filesystems() throws {
        let filesystems = try roundTrip([GuestFilesystemInfo].self, """
            [{"name": "vda1", "total-bytes": 101443186688, "mountpoint": "/", "disk": [{"bus-type": "virtio",
               "bus": 0, "unit": 0, "pci-controller": {"bus": 0, "slot": 2, "domain": 0, "function": 0},
               "dev": "/dev/vda1", "target": 0}], "used-bytes": 17176084480, "type": "ext4",
              "total-bytes-privileged": 106443186688},
             {"name": "sr0", "mountpoint": "D:\\\\", "type": "CDFS", "disk": []}]
            """)
        #expect(filesystems[0].usedBytes == 17_176_084_480)
        #expect(filesystems[0].totalBytesPrivileged == 106_443_186_688)
        #expect(filesystems[1].usedBytes == nil && filesystems[1].totalBytes == nil, "before 3.0")
        // Some agents leave `disk` out entirely.
        let bare = try WireJSON.decode([GuestFilesystemInfo].self, from: Data(#"[{"name": "x", "mountpoint": "/x", "type": "xfs"}]"#.utf8))
        #expect(bare[0].disk.isEmpty)
    }

    @Test func execResults() throws {
        #expect(try roundTrip(GuestExec.self, #"{"pid": 4242}"#).pid == 4242)
        let done = try roundTrip(GuestExecStatus.self, """
            {"exited": true, "exitcode": 0, "out-data": "aGVsbG8K", "err-data": "", "out-truncated": false, "err-truncated": false}
            """)
        #expect(done.output == Data("hello\n".utf8))
        #expect(done.errorOutput == Data())
        let running = try roundTrip(GuestExecStatus.self, #"{"exited": false}"#)
        #expect(running.exitCode == nil && running.output == nil)
        #expect(try roundTrip(GuestExecStatus.self, #"{"exited": true, "signal": 9}"#).signal == 9)
    }

    @Test func execCaptureOutputAlternate() throws {
        #expect(try roundTrip(GuestExecCaptureOutput.self, "true") == .flag(true))
        #expect(try roundTrip(GuestExecCaptureOutput.self, #""merged""#) == .mode(.merged))
        #expect(try roundTrip(GuestExecCaptureOutput.self, #""separated""#) == .mode(.separated))
        #expect(try roundTrip(GuestExecCaptureOutput.self, #""interleaved""#) == .mode(.unknown("interleaved")))
    }

    @Test func identity() throws {
        #expect(try roundTrip(GuestHostName.self, #"{"host-name": "vm"}"#).hostName == "vm")
        let users = try roundTrip([GuestUser].self, """
            [{"user": "root", "login-time": 1700000000.123456}, {"user": "bob", "domain": "CORP", "login-time": 1700000100}]
            """)
        #expect(users[0].loginTime == 1_700_000_000.123456, "fractional seconds")
        #expect(users[1].domain == "CORP")
        #expect(try roundTrip(GuestTimezone.self, #"{"zone": "CET", "offset": 3600}"#).offset == 3600)
        #expect(try roundTrip(GuestTimezone.self, #"{"offset": -18000}"#).zone == nil)
        let linux = try roundTrip(GuestOSInfo.self, """
            {"name": "Debian GNU/Linux", "kernel-release": "6.1.0", "version": "12 (bookworm)",
             "pretty-name": "Debian GNU/Linux 12 (bookworm)", "version-id": "12", "kernel-version": "#1 SMP",
             "machine": "x86_64", "id": "debian"}
            """)
        #expect(linux.prettyName == "Debian GNU/Linux 12 (bookworm)")
        let windows = try roundTrip(GuestOSInfo.self, """
            {"id": "mswindows", "name": "Microsoft Windows", "variant": "server", "variant-id": "server",
             "kernel-release": "20348", "machine": "x86_64"}
            """)
        #expect(windows.variantId == "server")
        #expect(try roundTrip(GuestOSInfo.self, "{}") == GuestOSInfo())
        #expect(try roundTrip(GuestAuthorizedKeys.self, #"{"keys": ["ssh-ed25519 AAAA a@b"]}"#).keys.count == 1)
    }

    @Test func devices() throws {
        let devices = try roundTrip([GuestDeviceInfo].self, """
            [{"driver-name": "viostor", "driver-date": 1600000000000000000, "driver-version": "100.85.104.20800",
              "id": {"type": "pci", "vendor-id": 6900, "device-id": 4097}},
             {"driver-name": "usbhub", "id": {"type": "usb", "vendor-id": 1, "product-id": 2}},
             {"driver-name": "legacy"}]
            """)
        #expect(devices[0].id == .pci(GuestDeviceIdPCI(vendorId: 6900, deviceId: 4097)))
        #expect(devices[1].id?.type == .unknown("usb"))
        #expect(devices[1].id == .unknown(type: "usb", members: ["type": "usb", "vendor-id": 1, "product-id": 2]))
        #expect(devices[2].id == nil)
    }

    @Test func diskStats() throws {
        let stats = try roundTrip([GuestDiskStatsInfo].self, """
            [{"name": "vda", "major": 253, "minor": 0, "stats": {"discard-sectors": 0, "write-ios": 10,
              "discard-ios": 0, "discard-ticks": 0, "weight-ticks": 4294967295, "read-ios": 7, "flush-ios": 3,
              "write-sectors": 18446744073709551615, "write-merges": 1, "write-ticks": 2, "ios-pgr": 0,
              "read-sectors": 512, "read-merges": 0, "total-ticks": 30, "discard-merges": 0, "flush-ticks": 1,
              "read-ticks": 5}},
             {"name": "sr0", "major": 11, "minor": 0, "stats": {"read-ios": 1}}]
            """)
        #expect(stats[0].stats.writeSectors == UInt64.max)
        #expect(stats[0].stats.weightTicks == 4_294_967_295)
        #expect(stats[1].stats.readIos == 1 && stats[1].stats.discardIos == nil, "only what the kernel reports")
    }

    @Test func cpuStatsFlatUnion() throws {
        let stats = try roundTrip([GuestCpuStats].self, """
            [{"cpu": 0, "guestnice": 0, "idle": 2244720, "steal": 140, "iowait": 150, "system": 24370, "guest": 0,
              "nice": 0, "irq": 0, "type": "linux", "user": 105450, "softirq": 160},
             {"cpu": 1, "type": "linux", "user": 1, "nice": 2, "system": 3, "idle": 4},
             {"type": "windows", "cpu": 2, "kernel": 77}]
            """)
        #expect(stats[0].linux?.idle == 2_244_720)
        #expect(stats[1].linux?.iowait == nil, "old kernels lack iowait")
        #expect(stats[2].type == .unknown("windows"))
        #expect(stats[2] == .unknown(type: "windows", members: ["type": "windows", "cpu": 2, "kernel": 77]))
        #expect(stats[2].linux == nil)
    }

    @Test func scalarsAndEmptyReplies() throws {
        #expect(try roundTrip(Int64.self, "1795547277927854000") == 1_795_547_277_927_854_000)
        #expect(try roundTrip(EmptyReply.self, "{}") == EmptyReply())
        let reply = try #require(ReceivedReply(line: JSONParser.parse(#"{"return": 5, "id": 9}"#.utf8)))
        #expect(try reply.decodeResult(Int64.self, command: "guest-get-time") == 5)
    }
}

@Suite struct JSONValueTests {
    @Test func integersKeepFull64BitPrecision() throws {
        let value = try WireJSON.decode(
            JSONValue.self, from: Data("[9223372036854775807, 18446744073709551615, -9223372036854775808, 9007199254740993]".utf8))
        #expect(value == [.int(.max), .uint(.max), .int(.min), .int(9_007_199_254_740_993)])
        #expect(try WireJSON.decode(JSONValue.self, from: WireJSON.encode(value)) == value)
    }

    @Test func everyKindDecodesAndEncodesBack() throws {
        let text = #"{"a": null, "b": true, "c": -1, "d": 1.5, "e": "x\"y", "f": [1, {"g": []}], "h": {}}"#
        let value = try WireJSON.decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == ["a": .null, "b": true, "c": -1, "d": 1.5, "e": "x\"y", "f": [1, ["g": []]], "h": [:]])
        #expect(try WireJSON.decode(JSONValue.self, from: WireJSON.encode(value)) == value)
        #expect(value["f"]?[1]?["g"] == [])
        #expect(value["d"]?.doubleValue == 1.5)
        #expect(value["c"]?.int64Value == -1 && value["c"]?.uint64Value == nil)
        #expect(value["e"]?.stringValue == "x\"y")
        #expect(value["missing"] == nil)
    }

    @Test func requestEnvelopeIsValidJSON() throws {
        let request = RequestEncoder.request(
            command: "guest-exec", arguments: ByteBuffer(string: #"{"path":"/bin/echo"}"#), id: 42)
        let text = String(buffer: request)
        #expect(text.hasSuffix("\n"))
        let parsed = try WireJSON.decode(JSONValue.self, from: Data(text.utf8))
        #expect(parsed == ["execute": "guest-exec", "arguments": ["path": "/bin/echo"], "id": 42])
        #expect(RequestEncoder.quoted("a\"b\\c\u{1}") == #""a\"b\\c\u0001""#)
        let sync = RequestEncoder.syncDelimited(token: 7)
        #expect(sync.getInteger(at: sync.readerIndex, as: UInt8.self) == 0xFF)
    }
}
