import Foundation
import QGAProtocol
import Testing

@testable import QGAExporter

@Suite struct DiscoveryTests {
    /// A real directory of files found by the real glob(3).
    private func withFiles(_ names: [String], _ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qga-disc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in names {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        try body(dir)
    }

    @Test func globFindsSocketsAndNamesThem() throws {
        try withFiles(["101.qga", "102.qga", "notes.txt"]) { dir in
            let yaml = """
            labels: {hypervisor: hv1}
            guests:
              - {name: static1, address: "unix:/x"}
            discovery:
              - glob: \(dir)/*.qga
                labels: {source: pve}
            """
            let config = try ConfigLoader.parse(yaml, file: "t.yml")
            let guests = try GuestDiscovery(config: config).resolve()
            #expect(guests.map(\.name) == ["static1", "101", "102"])
            #expect(guests[1].address == .unix(path: "\(dir)/101.qga"))
            #expect(guests[1].labels.map(\.name) == ["hypervisor", "source"])
            #expect(guests[0].source == "static")
        }
    }

    @Test func regexNamesAndConflicts() throws {
        try withFiles(["domain-1-web/org.qemu.guest_agent.0", "domain-2-db/org.qemu.guest_agent.0"]) { dir in
            let yaml = """
            guests:
              - {name: db, address: "unix:/static"}
            discovery:
              - glob: \(dir)/domain-*/org.qemu.guest_agent.0
                name_regex: "domain-[0-9]+-([^/]+)/"
            """
            let guests = try GuestDiscovery(config: try ConfigLoader.parse(yaml, file: "t.yml")).resolve()
            // The static "db" wins over the discovered one.
            #expect(guests.map(\.name) == ["db", "web"])
            #expect(guests[0].address == .unix(path: "/static"))
        }
    }

    @Test func guestOverridesAndCollectorLayers() throws {
        let yaml = """
        poll: {interval: 10s, timeout: 3s}
        collectors: {users: false, osinfo: false}
        guests:
          - {name: a, address: "unix:/a", poll_interval: 1m, collectors: {users: true}}
        """
        let guests = try GuestDiscovery(config: try ConfigLoader.parse(yaml, file: "t.yml")).resolve()
        #expect(guests[0].interval == .seconds(60))
        #expect(guests[0].timeout == .seconds(3))
        #expect(guests[0].collectors.isEnabled("users", default: true))
        #expect(!guests[0].collectors.isEnabled("osinfo", default: true))
        #expect(guests[0].collectors.isEnabled("diskstats", default: true))
    }

    @Test func fileStemNaming() {
        #expect(GuestNamer.fileStem("/var/run/qemu-server/101.qga") == "101")
        #expect(GuestNamer.fileStem("/x/agent") == "agent")
        #expect(GuestNamer.fileStem("/x/.hidden") == ".hidden")
    }
}
