import QGAProtocol
import QGAMetrics
import Testing

@testable import QGAExporter

/// The `libvirt:` discovery source: config, naming, labels and addresses, with the domain list
/// given directly (a real libvirtd lists them in LibvirtEndToEndTests).
@Suite struct LibvirtDiscoveryTests {
    static let web = LibvirtDomain(name: "web-1", uuid: "4dea22b3-1d52-d8f3-2516-782e98ab3fa0", id: 3)
    static let db = LibvirtDomain(name: "db", uuid: "9a0f8c1e-0000-4c1b-9a53-2a7d6c1e0b11", id: 4)

    @Test func configTakesAURIOrTheDefault() throws {
        let config = try ConfigLoader.parse("""
            discovery:
              - libvirt: {uri: "qemu:///system?socket=/run/x/libvirt-sock"}
                labels: {rack: r1}
                timeout: 3s
              - libvirt:
              - preset: libvirt-api
            """, file: "c.yml")
        #expect(config.discovery.map(\.libvirt) == [
            LibvirtDiscovery(uri: "qemu:///system?socket=/run/x/libvirt-sock"), LibvirtDiscovery(uri: nil), LibvirtDiscovery(uri: nil),
        ])
        #expect(config.discovery[0].labels == ["rack": "r1"])
        #expect(config.discovery[0].overrides.timeout == .seconds(3))
        #expect(config.discovery[0].sourceName == "libvirt:qemu:///system?socket=/run/x/libvirt-sock")
    }

    @Test func domainsBecomeGuestsNamedByDomainWithTheirUUID() throws {
        let config = try ConfigLoader.parse("""
            labels: {hypervisor: hv1}
            guests:
              - {name: db, address: "unix:/static"}
            discovery:
              - libvirt: {uri: "qemu:///system"}
                labels: {rack: r1}
            """, file: "c.yml")
        let guests = try GuestDiscovery(config: config).resolve(domains: { _ in [Self.web, Self.db] })
        // The static "db" wins over the domain of the same name.
        #expect(guests.map(\.name) == ["db", "web-1"])
        #expect(guests[1].address == .libvirt(domain: Self.web.uuid, uri: "qemu:///system"))
        #expect(guests[1].labels.map(\.name) == ["domain_uuid", "hypervisor", "rack"])
        #expect(guests[1].labels.first { $0.name == "domain_uuid" }?.value == Self.web.uuid)
        #expect(guests[1].source == "libvirt:qemu:///system")
    }

    @Test func nameRegexRenamesAndFilters() throws {
        let config = try ConfigLoader.parse("""
            discovery:
              - libvirt: {}
                name_regex: "^web-(.+)$"
            """, file: "c.yml")
        let guests = try GuestDiscovery(config: config).resolve(domains: { _ in [Self.web, Self.db] })
        #expect(guests.map(\.name) == ["1"])
        #expect(guests[0].address == .libvirt(domain: Self.web.uuid, uri: nil))
    }

    @Test func aStaticGuestCanNameALibvirtDomain() throws {
        let config = try ConfigLoader.parse("""
            guests:
              - {name: web, address: "libvirt:web-1@qemu:///system"}
            """, file: "c.yml")
        #expect(config.guests[0].address == .libvirt(domain: "web-1", uri: "qemu:///system"))
    }
}
