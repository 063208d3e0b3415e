import Testing

@testable import QGAProtocol

@Suite struct AgentAddressTests {
    @Test(arguments: [
        ("unix:/run/qga.sock", AgentAddress.unix(path: "/run/qga.sock")),
        ("/var/run/qemu-server/101.qga", .unix(path: "/var/run/qemu-server/101.qga")),
        ("vsock:3:1234", .vsock(cid: 3, port: 1234)),
        ("tcp:guest.example:4444", .tcp(host: "guest.example", port: 4444)),
        ("tcp:10.0.0.5:9", .tcp(host: "10.0.0.5", port: 9)),
        ("tcp:[::1]:4444", .tcp(host: "::1", port: 4444)),
        ("  unix:/a b  ", .unix(path: "/a b")),
    ])
    func parses(text: String, expected: AgentAddress) throws {
        #expect(try AgentAddress(parsing: text) == expected)
    }

    @Test(arguments: ["unix:/run/qga.sock", "vsock:3:1234", "tcp:h:1", "tcp:[fe80::1]:4444"])
    func descriptionParsesBack(text: String) throws {
        let address = try AgentAddress(parsing: text)
        #expect(address.description == text)
        #expect(try AgentAddress(parsing: address.description) == address)
    }

    @Test(arguments: [
        ("", "empty"),
        ("relative.sock", "expected unix:/path"),
        ("unix:", "path is empty"),
        ("vsock:3", "expected vsock:CID:PORT"),
        ("vsock:x:1", "CID 'x'"),
        ("vsock:3:99999999999", "port '99999999999'"),
        ("tcp:host", "expected tcp:HOST:PORT"),
        ("tcp:host:0", "port '0'"),
        ("tcp:host:http", "port 'http'"),
        ("tcp:::1:44", "brackets"),
        ("tcp:[::1:44", "missing ']'"),
        ("ftp:host:1", "unknown scheme 'ftp'"),
    ])
    func rejectsWithAClearMessage(text: String, fragment: String) {
        do {
            _ = try AgentAddress(parsing: text)
            Issue.record("'\(text)' should not parse")
        } catch {
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(error.input == text)
        }
    }
}
